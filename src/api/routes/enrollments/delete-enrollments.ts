import { z } from 'zod';
import { unenroll } from '../../../platform/enrollments/enrollments.ts';
import { EnrollmentViewSchema } from '../../../platform/enrollments/enrollment-schemas.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.delete('/api/v1/enrollments/:id', {
    config: { roles: ['admin'] },
    schema: { tags: ['enrollments'], summary: 'Unenroll (the row stays, status unenrolled; a path\'s unfinished courses follow)',
      params: z.object({ id: z.coerce.number().int().positive() }), response: { 200: EnrollmentViewSchema } },
  }, async (req) => unenroll(app.ctx.db, principalOf(req).accountId, req.params.id));
});
