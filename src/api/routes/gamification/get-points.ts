import { z } from 'zod';
import { leaderboard, pointsOf } from '../../../platform/gamification/points.ts';
import { defineRoutes, principalOf } from '../../types.ts';

const mine = z.object({ total: z.number(), entries: z.array(z.object({ id: z.number(), points: z.number(), reason: z.string(), trainingId: z.number().nullable(), awardedAt: z.date() })) });

export default defineRoutes((app) => {
  app.get('/api/v1/gamification/leaderboard', {
    config: { roles: ['admin'] },
    schema: { tags: ['gamification'], summary: 'Learners with the most points', querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(20) }),
      response: { 200: z.array(z.object({ userId: z.number(), email: z.string(), name: z.string(), points: z.number() })) } },
  }, async (req) => leaderboard(app.ctx.db, principalOf(req).accountId, req.query.limit));

  app.get('/api/v1/gamification/users/:id/points', {
    config: { roles: ['admin'] },
    schema: { tags: ['gamification'], summary: 'A learner\'s points', params: z.object({ id: z.coerce.number().int().positive() }), response: { 200: mine } },
  }, async (req) => pointsOf(app.ctx.db, principalOf(req).accountId, req.params.id));

  app.get('/api/v1/me/points', {
    config: { learnerFacing: true },
    schema: { tags: ['learner'], summary: 'The signed-in learner\'s points', response: { 200: mine } },
  }, async (req) => {
    const p = principalOf(req);
    return pointsOf(app.ctx.db, p.accountId, p.userId);
  });
});
