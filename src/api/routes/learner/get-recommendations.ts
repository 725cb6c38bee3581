import { z } from 'zod';
import { recommendations } from '../../../platform/learner/learner-view.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { LearnerQuery, learnerOf } from './_learner.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/learner/recommendations', {
    config: { oauthScope: 'learner:read', learnerFacing: true },
    schema: {
      tags: ['learner'], summary: 'Trainings recommended to the learner: sharing a skill with theirs first, then the most followed (OAuth scope learner:read)',
      querystring: LearnerQuery.extend({ limit: z.coerce.number().int().min(1).max(50).default(10) }),
      response: { 200: z.object({ items: z.array(z.object({ trainingId: z.number(), loId: z.string(), type: z.string(), name: z.string(), durationMinutes: z.number(), learners: z.number(), reason: z.string() })) }) },
    },
  }, async (req) => {
    const p = principalOf(req);
    const userId = await learnerOf(app, p, req.query.learner, 'read');
    return { items: await recommendations(app.ctx.db, p.accountId, userId, req.query.limit) };
  });
});
