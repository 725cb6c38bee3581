import { z } from 'zod';
import { getUser, listUsers } from '../../../platform/users/users.ts';
import { UserListQuerySchema, UserViewSchema } from '../../../platform/users/user-schemas.ts';
import { defineRoutes, principalOf } from '../../types.ts';

const roles = ['admin', 'integration_admin'] as const;

export default defineRoutes((app) => {
  app.get('/api/v1/users', {
    config: { roles: [...roles] },
    schema: {
      tags: ['users'],
      summary: 'List users (search in email and name, filter by state, paged by limit/offset)',
      querystring: UserListQuerySchema,
      response: { 200: z.object({ items: z.array(UserViewSchema), total: z.number(), limit: z.number(), offset: z.number() }) },
    },
  }, async (req) => listUsers(app.ctx.db, principalOf(req).accountId, req.query));

  app.get('/api/v1/users/:ref', {
    config: { roles: [...roles] },
    schema: {
      tags: ['users'],
      summary: 'One user, by id or email',
      params: z.object({ ref: z.string().describe('user id or email') }),
      response: { 200: UserViewSchema },
    },
  }, async (req) => getUser(app.ctx.db, principalOf(req).accountId, req.params.ref));
});
