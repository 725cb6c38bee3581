import { AnnouncementSchema, createAnnouncement, NewAnnouncementSchema } from '../../../platform/announcements/announcements.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.post('/api/v1/announcements', {
    config: { roles: ['admin', 'integration_admin'] },
    schema: { tags: ['announcements'], summary: "Send an announcement to the account's learners (shown by learner apps between its start and end)", body: NewAnnouncementSchema, response: { 201: AnnouncementSchema } },
  }, async (req, reply) => {
    reply.status(201);
    return createAnnouncement(app.ctx.db, principalOf(req), req.body);
  });
});
