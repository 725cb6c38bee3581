import { z } from 'zod';
import { issuePasswordReset, RESET_HOURS } from '../../../platform/users/password-reset.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.post('/api/v1/users/:id/password-reset', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['users'],
      summary: `A one-time password reset link for a user (works ${RESET_HOURS} hours, once; earlier links stop working). There is no mail: pass it to the user, who sets the password there`,
      params: z.object({ id: z.coerce.number().int().positive() }),
      response: { 200: z.object({ userId: z.number(), email: z.string(), token: z.string(), link: z.string(), expiresAt: z.date() }) },
    },
  }, async (req) => {
    const p = principalOf(req);
    const r = await issuePasswordReset(app.ctx.db, p.accountId, req.params.id);
    app.ctx.log.info({ userId: r.userId, by: p.userId }, 'password reset link issued');
    return { ...r, link: `/reset-password?token=${encodeURIComponent(r.token)}` };
  });
});
