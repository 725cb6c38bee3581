import { z } from 'zod';
import { revokeOwnToken } from '../../../platform/api-tokens.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.post('/api/v1/auth/sign-out', {
    schema: {
      tags: ['auth'],
      summary: 'Sign out: revokes the token of this request (a web session, or an API token used here); it answers 401 from then on',
      response: { 204: z.null() },
    },
  }, async (req, reply) => {
    await revokeOwnToken(app.ctx.db, principalOf(req).tokenId);
    reply.status(204);
    return null;
  });
});
