import { z } from 'zod';
import { changeOwnPassword } from '../../../platform/users/password-reset.ts';
import { throttledPasswordCheck } from '../../sign-in-guard.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { NewPassword } from './_schemas.ts';

export default defineRoutes((app) => {
  app.post('/api/v1/me/password', {
    schema: {
      tags: ['auth'],
      summary: 'Change your own password, giving the current one (throttled like sign-in); your other web sessions end',
      body: z.object({ currentPassword: z.string().min(1).max(200), newPassword: NewPassword }),
      response: { 204: z.null() },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    await throttledPasswordCheck(app, req, p.email, () => changeOwnPassword(app.ctx.db, p.userId, req.body.currentPassword, req.body.newPassword, p.tokenId));
    reply.status(204);
    return null;
  });
});
