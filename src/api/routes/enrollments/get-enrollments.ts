import { z } from 'zod';
import { getEnrollment, listEnrollments } from '../../../platform/enrollments/enrollments.ts';
import { EnrollmentListQuerySchema, EnrollmentViewSchema } from '../../../platform/enrollments/enrollment-schemas.ts';
import { defineRoutes, principalOf } from '../../types.ts';

const page = z.object({ items: z.array(EnrollmentViewSchema), total: z.number(), limit: z.number(), offset: z.number() });

export default defineRoutes((app) => {
  app.get('/api/v1/enrollments', {
    config: { roles: ['admin'] },
    schema: { tags: ['enrollments'], summary: 'Enrollments (filter by learner, training, status; paged)', querystring: EnrollmentListQuerySchema, response: { 200: page } },
  }, async (req) => listEnrollments(app.ctx.db, principalOf(req).accountId, req.query));

  app.get('/api/v1/enrollments/:id', {
    config: { roles: ['admin'] },
    schema: { tags: ['enrollments'], summary: 'One enrollment', params: z.object({ id: z.coerce.number().int().positive() }), response: { 200: EnrollmentViewSchema } },
  }, async (req) => getEnrollment(app.ctx.db, principalOf(req).accountId, req.params.id));

  app.get('/api/v1/me/enrollments', {
    config: { learnerFacing: true },
    schema: { tags: ['learner'], summary: 'The signed-in learner\'s enrollments', querystring: EnrollmentListQuerySchema.omit({ userId: true }), response: { 200: page } },
  }, async (req) => {
    const p = principalOf(req);
    return listEnrollments(app.ctx.db, p.accountId, { ...req.query, userId: p.userId });
  });
});
