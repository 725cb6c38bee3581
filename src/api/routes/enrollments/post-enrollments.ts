import { z } from 'zod';
import { enroll } from '../../../platform/enrollments/enrollments.ts';
import { EnrollmentViewSchema, EnrollSchema } from '../../../platform/enrollments/enrollment-schemas.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.post('/api/v1/enrollments', {
    config: { roles: ['admin'] },
    schema: { tags: ['enrollments'], summary: 'Enroll a learner in an instance (or a training\'s default instance); a learning path enrolls in its courses too', body: EnrollSchema, response: { 201: EnrollmentViewSchema } },
  }, async (req, reply) => {
    reply.status(201);
    return enroll(app.ctx.db, principalOf(req).accountId, req.body);
  });

  app.post('/api/v1/me/enrollments', {
    config: { learnerFacing: true },
    schema: { tags: ['learner'], summary: 'The signed-in learner enrolls (self-enrollment)',
      body: z.object({ trainingId: z.number().int().positive().optional(), instanceId: z.number().int().positive().optional() })
        .refine((b) => b.trainingId !== undefined || b.instanceId !== undefined, { message: 'give trainingId or instanceId', path: ['instanceId'] }),
      response: { 201: EnrollmentViewSchema } },
  }, async (req, reply) => {
    const p = principalOf(req);
    reply.status(201);
    return enroll(app.ctx.db, p.accountId, { user: p.userId, ...req.body });
  });
});
