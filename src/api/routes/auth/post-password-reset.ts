import { z } from 'zod';
import { resetPassword } from '../../../platform/users/password-reset.ts';
import { defineRoutes } from '../../types.ts';
import { NewPassword } from './_schemas.ts';

export default defineRoutes((app) => {
  app.post('/api/v1/auth/password-reset', {
    config: { public: true },
    schema: {
      tags: ['auth'],
      summary: 'Sets your password with the token of a reset link (it works once); your web sessions end',
      security: [],
      body: z.object({ token: z.string().min(1).max(200), password: NewPassword }),
      response: { 200: z.object({ email: z.string() }) },
    },
  }, async (req) => resetPassword(app.ctx.db, req.body.token, req.body.password));
});
