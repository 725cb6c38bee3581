import { z } from 'zod';
import { resetHostedPassword } from '../../../kit/file-sources/hosted-drop.ts';
import { defineRoutes } from '../../types.ts';

export default defineRoutes((app) => {
  app.post('/api/v1/ftp/reset-password', {
    config: { public: true },
    schema: {
      tags: ['file-drops'],
      summary: 'Sets the hosted SFTP password with a one-time reset token (the token works once)',
      security: [],
      body: z.object({ token: z.string().min(1), password: z.string().min(1) }),
      response: { 200: z.object({ username: z.string() }) },
    },
  }, async (req) => resetHostedPassword(app.ctx.db, req.body.token, req.body.password));
});
