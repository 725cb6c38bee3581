import { z } from 'zod';
import { deleteAnnouncement } from '../../../platform/announcements/announcements.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.delete('/api/v1/announcements/:id', {
    config: { roles: ['admin', 'integration_admin'] },
    schema: { tags: ['announcements'], summary: 'Delete an announcement', params: z.object({ id: z.coerce.number().int().positive() }), response: { 204: z.null() } },
  }, async (req, reply) => {
    await deleteAnnouncement(app.ctx.db, principalOf(req).accountId, req.params.id);
    return reply.status(204).send(null);
  });
});
