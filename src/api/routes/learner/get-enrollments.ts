import { z } from 'zod';
import { EnrollmentViewSchema } from '../../../platform/enrollments/enrollment-schemas.ts';
import { learnerEnrollments } from '../../../platform/learner/learner-view.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { LearnerQuery, learnerOf } from './_learner.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/learner/enrollments', {
    config: { oauthScope: 'learner:read', learnerFacing: true },
    schema: {
      tags: ['learner'], summary: "The learner's enrollments (OAuth scope learner:read)",
      querystring: LearnerQuery.extend({
        status: z.enum(['not_started', 'in_progress', 'completed', 'unenrolled']).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0),
      }),
      response: { 200: z.object({ items: z.array(EnrollmentViewSchema), total: z.number(), limit: z.number(), offset: z.number() }) },
    },
  }, async (req) => {
    const p = principalOf(req);
    const { learner, ...q } = req.query;
    return learnerEnrollments(app.ctx.db, p.accountId, await learnerOf(app, p, learner, 'read'), q);
  });
});
