import { z } from 'zod';
import { startAuthorization } from '../../../engine/connection-auth.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { IdParams } from './_schemas.ts';

export default defineRoutes((app) => {
  app.post('/api/v1/connections/:id/authorize', {
    config: { roles: ['integration_admin'] },
    schema: {
      tags: ['connections'],
      summary: "Start Connect for a connector that signs in at the vendor: returns the vendor's sign-in page to open",
      description: 'The vendor sends the browser back to /api/v1/oauth/callback, which stores the tokens and returns to the connection page.',
      params: IdParams,
      response: { 200: z.object({ url: z.string(), expiresAt: z.date() }) },
    },
  }, async (req) => {
    const p = principalOf(req);
    return startAuthorization(app.ctx, { accountId: p.accountId, userId: p.userId }, req.params.id);
  });
});
