import { z } from 'zod';
import { awardPoints, AwardPointsSchema } from '../../../platform/gamification/points.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.post('/api/v1/gamification/points', {
    config: { roles: ['admin'] },
    schema: { tags: ['gamification'], summary: 'Award (or take back, negative) points', body: AwardPointsSchema,
      response: { 201: z.object({ id: z.number(), points: z.number(), reason: z.string(), awarded_at: z.date() }) } },
  }, async (req, reply) => {
    reply.status(201);
    return awardPoints(app.ctx.db, principalOf(req).accountId, req.body);
  });
});
