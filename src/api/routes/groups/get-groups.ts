import { z } from 'zod';
import { GroupListQuerySchema, GroupViewSchema, listGroupMembers, listGroups } from '../../../platform/groups/groups.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/groups', {
    config: { roles: ['admin', 'integration_admin'] },
    schema: { tags: ['groups'], summary: 'User groups (automatic per field value and per manager team, and custom) with member counts', querystring: GroupListQuerySchema, response: { 200: z.array(GroupViewSchema) } },
  }, async (req) => listGroups(app.ctx.db, principalOf(req).accountId, req.query));

  app.get('/api/v1/groups/:id/members', {
    config: { roles: ['admin', 'integration_admin'] },
    schema: {
      tags: ['groups'],
      summary: 'Members of a group',
      params: z.object({ id: z.coerce.number().int().positive() }),
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100), offset: z.coerce.number().int().min(0).default(0) }),
      response: { 200: z.array(z.object({ id: z.number(), email: z.string(), name: z.string(), state: z.string() })) },
    },
  }, async (req) => listGroupMembers(app.ctx.db, principalOf(req).accountId, req.params.id, req.query.limit, req.query.offset));
});
