import { z } from 'zod';
import { enroll } from '../../../platform/enrollments/enrollments.ts';
import { EnrollmentViewSchema } from '../../../platform/enrollments/enrollment-schemas.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { LearnerQuery, learnerOf } from './_learner.ts';

export default defineRoutes((app) => {
  app.post('/api/v1/learner/enrollments', {
    config: { oauthScope: 'learner:write', learnerFacing: true },
    schema: {
      tags: ['learner'], summary: 'Enroll the learner in a training (its default instance) or an instance (OAuth scope learner:write)',
      querystring: LearnerQuery,
      body: z.object({ trainingId: z.number().int().positive().optional(), instanceId: z.number().int().positive().optional() })
        .refine((b) => b.trainingId !== undefined || b.instanceId !== undefined, { message: 'give trainingId or instanceId', path: ['instanceId'] }),
      response: { 201: EnrollmentViewSchema },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const userId = await learnerOf(app, p, req.query.learner, 'write');
    reply.status(201);
    return enroll(app.ctx.db, p.accountId, { user: userId, ...req.body });
  });
});
