import { z } from 'zod';
import { deleteCustomGroup, removeMember } from '../../../platform/groups/groups.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.delete('/api/v1/groups/:id', {
    config: { roles: ['admin'] },
    schema: { tags: ['groups'], summary: 'Delete a custom group', params: z.object({ id: z.coerce.number().int().positive() }), response: { 204: z.null() } },
  }, async (req, reply) => {
    await deleteCustomGroup(app.ctx.db, principalOf(req).accountId, req.params.id);
    reply.status(204);
    return null;
  });

  app.delete('/api/v1/groups/:id/members/:userId', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['groups'],
      summary: 'Remove a user from a custom group',
      params: z.object({ id: z.coerce.number().int().positive(), userId: z.coerce.number().int().positive() }),
      response: { 204: z.null() },
    },
  }, async (req, reply) => {
    await removeMember(app.ctx.db, principalOf(req).accountId, req.params.id, req.params.userId);
    reply.status(204);
    return null;
  });
});
