import { z } from 'zod';
import { updateEnrollment } from '../../../platform/enrollments/enrollments.ts';
import { EnrollmentPatchSchema, EnrollmentViewSchema } from '../../../platform/enrollments/enrollment-schemas.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.patch('/api/v1/enrollments/:id', {
    config: { roles: ['admin'] },
    schema: { tags: ['enrollments'], summary: 'Record status (not started -> in progress -> completed), progress, score, time spent',
      params: z.object({ id: z.coerce.number().int().positive() }), body: EnrollmentPatchSchema, response: { 200: EnrollmentViewSchema } },
  }, async (req) => updateEnrollment(app.ctx.db, principalOf(req).accountId, req.params.id, req.body));
});
