import { z } from 'zod';
import { listNotifications } from '../../../engine/runs.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/notifications', {
    config: { roles: ['admin', 'integration_admin'] },
    schema: {
      tags: ['notifications'],
      summary: "The account admins' notifications (one per finished run), newest first",
      querystring: z.object({ afterId: z.coerce.number().int().optional(), limit: z.coerce.number().int().min(1).max(1000).optional() }),
      response: { 200: z.object({ notifications: z.array(z.object({ id: z.number(), runId: z.number().nullable(), connectionId: z.number().nullable().describe('the run\'s connection (to link to its Execution Status)'), actionId: z.string().nullable(), kind: z.string(), title: z.string(), body: z.string(), createdAt: z.date() })) }) },
    },
  }, async (req) => ({ notifications: await listNotifications(app.ctx, principalOf(req).accountId, req.query) }));
});
