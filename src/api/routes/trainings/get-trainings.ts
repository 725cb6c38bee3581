import { z } from 'zod';
import { getTraining, listTrainings } from '../../../platform/trainings/trainings.ts';
import { TrainingDetailSchema, TrainingListQuerySchema, TrainingSummarySchema } from '../../../platform/trainings/training-schemas.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/trainings', {
    config: { roles: ['admin', 'author'] },
    schema: { tags: ['trainings'], summary: 'List trainings (filter by type, state; search in name and LO id; paged)', querystring: TrainingListQuerySchema,
      response: { 200: z.object({ items: z.array(TrainingSummarySchema), total: z.number(), limit: z.number(), offset: z.number() }) } },
  }, async (req) => listTrainings(app.ctx.db, principalOf(req).accountId, req.query));

  app.get('/api/v1/trainings/:ref', {
    config: { roles: ['admin', 'author'] },
    schema: { tags: ['trainings'], summary: 'A training with items, skills, instances, sessions and modules (by id or LO id)', params: z.object({ ref: z.string() }), response: { 200: TrainingDetailSchema } },
  }, async (req) => getTraining(app.ctx.db, principalOf(req).accountId, req.params.ref));
});
