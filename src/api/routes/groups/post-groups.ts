import { z } from 'zod';
import { addMembers, createCustomGroup } from '../../../platform/groups/groups.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.post('/api/v1/groups', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['groups'],
      summary: 'Create a custom group',
      body: z.object({ name: z.string().trim().min(1).max(200), userIds: z.array(z.number().int().positive()).default([]) }),
      response: { 201: z.object({ id: z.number() }) },
    },
  }, async (req, reply) => {
    reply.status(201);
    return { id: await createCustomGroup(app.ctx.db, principalOf(req).accountId, req.body.name, req.body.userIds) };
  });

  app.post('/api/v1/groups/:id/members', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['groups'],
      summary: 'Add users to a custom group',
      params: z.object({ id: z.coerce.number().int().positive() }),
      body: z.object({ userIds: z.array(z.number().int().positive()).min(1) }),
      response: { 204: z.null() },
    },
  }, async (req, reply) => {
    await addMembers(app.ctx.db, principalOf(req).accountId, req.params.id, req.body.userIds);
    reply.status(204);
    return null;
  });
});
