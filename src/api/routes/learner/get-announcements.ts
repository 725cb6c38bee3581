import { z } from 'zod';
import { AnnouncementSchema, currentAnnouncements } from '../../../platform/announcements/announcements.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/learner/announcements', {
    config: { oauthScope: 'learner:read', learnerFacing: true },
    schema: { tags: ['learner'], summary: "The account's announcements shown now, newest first (OAuth scope learner:read)", response: { 200: z.object({ items: z.array(AnnouncementSchema) }) } },
  }, async (req) => ({ items: await currentAnnouncements(app.ctx.db, principalOf(req).accountId, app.ctx.clock.now()) }));
});
