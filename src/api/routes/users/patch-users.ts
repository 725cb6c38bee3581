import { z } from 'zod';
import { updateUser } from '../../../platform/users/users.ts';
import { UserPatchSchema, UserViewSchema } from '../../../platform/users/user-schemas.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.patch('/api/v1/users/:id', {
    config: { roles: ['admin', 'integration_admin'] },
    schema: {
      tags: ['users'],
      summary: "Update a user: profile, manager (cycles refused), roles (admins only), state, data source, external ids (hr_uuid cannot be cleared), field values; never the password (see password-reset)",
      params: z.object({ id: z.coerce.number().int().positive() }),
      body: UserPatchSchema,
      response: { 200: UserViewSchema },
    },
  }, async (req) => updateUser(app.ctx.db, principalOf(req).accountId, req.params.id, req.body, principalOf(req)));
});
