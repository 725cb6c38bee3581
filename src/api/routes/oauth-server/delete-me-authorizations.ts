import { z } from 'zod';
import { withdrawAuthorization } from '../../../platform/oauth/grants.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.delete('/api/v1/me/oauth-authorizations/:appId', {
    schema: { tags: ['oauth'], summary: "Withdraw an application's access to you: its tokens for you stop working", params: z.object({ appId: z.coerce.number().int().positive() }), response: { 204: z.null() } },
  }, async (req, reply) => {
    const p = principalOf(req);
    await withdrawAuthorization(app.ctx.db, p.accountId, p.userId, req.params.appId);
    return reply.status(204).send(null);
  });
});
