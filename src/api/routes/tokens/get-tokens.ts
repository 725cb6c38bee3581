import { z } from 'zod';
import { listApiTokens } from '../../../platform/api-tokens.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/tokens', {
    config: { roles: ['admin'] },
    schema: { tags: ['tokens'], summary: 'API tokens of the account (never the secret: only its first characters)',
      response: { 200: z.array(z.object({ id: z.number(), name: z.string(), kind: z.string(), prefix: z.string(), email: z.string(), created_at: z.date(), expires_at: z.date().nullable(), last_used_at: z.date().nullable(), revoked_at: z.date().nullable() })) } },
  }, async (req) => listApiTokens(app.ctx.db, principalOf(req).accountId));
});
