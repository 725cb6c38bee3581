import { createUser } from '../../../platform/users/users.ts';
import { NewUserSchema, UserViewSchema } from '../../../platform/users/user-schemas.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.post('/api/v1/users', {
    config: { roles: ['admin', 'integration_admin'] },
    schema: {
      tags: ['users'],
      summary: 'Create a user (email unique per account, case-insensitive; manager by id or email)',
      body: NewUserSchema,
      response: { 201: UserViewSchema },
    },
  }, async (req, reply) => {
    reply.status(201);
    return createUser(app.ctx.db, principalOf(req).accountId, req.body, principalOf(req));
  });
});
