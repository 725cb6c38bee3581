import { z } from 'zod';
import { firstRejects } from '../../../engine/run-rejects.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { RunIdParams } from './_schemas.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/runs/:id/rejects', {
    config: { roles: ['integration_admin'] },
    schema: {
      tags: ['runs'],
      summary: "The run's first rejected records (source, line or the vendor's record id, field, reason) and how many there are; errors.csv has them all",
      params: RunIdParams,
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
      response: {
        200: z.object({
          total: z.number(),
          rejects: z.array(z.object({ source: z.string(), line: z.number().nullable(), recordId: z.string().nullable(), field: z.string().nullable(), reason: z.string() })),
        }),
      },
    },
  }, async (req) => firstRejects(app.ctx, principalOf(req).accountId, req.params.id, req.query.limit));
});
