import { z } from 'zod';
import { learnerProgress } from '../../../platform/learner/learner-view.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { LearnerQuery, learnerOf } from './_learner.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/learner/progress', {
    config: { oauthScope: 'learner:read', learnerFacing: true },
    schema: {
      tags: ['learner'], summary: "The learner's progress: enrollments by status, average progress, time spent, skill credits (OAuth scope learner:read)",
      querystring: LearnerQuery,
      response: { 200: z.object({
        enrollments: z.object({ notStarted: z.number(), inProgress: z.number(), completed: z.number() }),
        averageProgress: z.number(), timeSpentSeconds: z.number(), skillCredits: z.number(),
      }) },
    },
  }, async (req) => {
    const p = principalOf(req);
    return learnerProgress(app.ctx.db, p.accountId, await learnerOf(app, p, req.query.learner, 'read'));
  });
});
