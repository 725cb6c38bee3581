import { z } from 'zod';
import { createApiToken } from '../../../platform/api-tokens.ts';
import { getUser } from '../../../platform/users/users.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.post('/api/v1/tokens', {
    config: { roles: ['admin'] },
    schema: { tags: ['tokens'], summary: 'Create an API token acting as a user of the account (default: the caller); the token is returned once',
      body: z.object({ name: z.string().trim().min(1).max(100), user: z.union([z.number().int().positive(), z.string().min(1)]).optional(), expiresAt: z.coerce.date().optional()
        .refine((d) => d === undefined || d.getTime() > Date.now(), 'must be in the future (an expired token would never work)')
        .describe('when the token stops working (in the future); none: until revoked') }),
      response: { 201: z.object({ id: z.number(), name: z.string(), prefix: z.string(), token: z.string(), created_at: z.date(), expires_at: z.date().nullable() }) } },
  }, async (req, reply) => {
    const p = principalOf(req);
    const userId = req.body.user === undefined ? p.userId : (await getUser(app.ctx.db, p.accountId, req.body.user)).id;
    reply.status(201);
    return createApiToken(app.ctx.db, { accountId: p.accountId, userId, name: req.body.name, expiresAt: req.body.expiresAt });
  });
});
