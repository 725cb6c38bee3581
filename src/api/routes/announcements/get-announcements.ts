import { z } from 'zod';
import { AnnouncementSchema, listAnnouncements } from '../../../platform/announcements/announcements.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/announcements', {
    config: { roles: ['admin', 'integration_admin'] },
    schema: { tags: ['announcements'], summary: "Every announcement of the account, newest first", response: { 200: z.array(AnnouncementSchema) } },
  }, async (req) => listAnnouncements(app.ctx.db, principalOf(req).accountId));
});
