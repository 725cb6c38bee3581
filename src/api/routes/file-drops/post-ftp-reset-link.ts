import { z } from 'zod';
import { createResetToken } from '../../../kit/file-sources/hosted-drop.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.post('/api/v1/ftp/account/reset-link', {
    config: { roles: ['integration_admin'] },
    schema: {
      tags: ['file-drops'],
      summary: 'A new one-time password reset link for the hosted SFTP login (earlier links stop working); there is no mail: pass it to the responsible person',
      response: { 200: z.object({ username: z.string(), email: z.string(), token: z.string(), link: z.string(), expiresAt: z.date() }) },
    },
  }, async (req) => {
    const r = await createResetToken(app.ctx.db, principalOf(req).accountId);
    return { ...r, link: `/ftp/reset-password?token=${encodeURIComponent(r.token)}` };
  });
});
