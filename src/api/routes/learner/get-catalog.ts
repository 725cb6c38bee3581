import { z } from 'zod';
import { learnerCatalog } from '../../../platform/learner/learner-view.ts';
import { TrainingSummarySchema } from '../../../platform/trainings/training-schemas.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/learner/catalog', {
    config: { oauthScope: 'learner:read', learnerFacing: true },
    schema: {
      tags: ['learner'], summary: 'The published trainings of the account (OAuth scope learner:read)',
      querystring: z.object({
        search: z.string().max(200).optional(), type: z.enum(['course', 'learning_path', 'certification']).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0),
      }),
      response: { 200: z.object({ items: z.array(TrainingSummarySchema), total: z.number(), limit: z.number(), offset: z.number() }) },
    },
  }, async (req) => learnerCatalog(app.ctx.db, principalOf(req).accountId, req.query));
});
