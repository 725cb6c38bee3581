import { z } from 'zod';
import { updateInstance } from '../../../platform/trainings/instances.ts';
import { updateTraining } from '../../../platform/trainings/trainings.ts';
import { InstancePatchSchema, TrainingDetailSchema, TrainingPatchSchema } from '../../../platform/trainings/training-schemas.ts';
import { defineRoutes, principalOf } from '../../types.ts';

const id = z.object({ id: z.coerce.number().int().positive() });

export default defineRoutes((app) => {
  app.patch('/api/v1/trainings/:id', {
    config: { roles: ['admin', 'author'] },
    schema: { tags: ['trainings'], summary: 'Update a training (items and skills are replaced when given)', params: id, body: TrainingPatchSchema, response: { 200: TrainingDetailSchema } },
  }, async (req) => updateTraining(app.ctx.db, principalOf(req).accountId, req.params.id, req.body));

  app.patch('/api/v1/instances/:id', {
    config: { roles: ['admin', 'author'] },
    schema: { tags: ['trainings'], summary: 'Change an instance\'s name or limits, or retire it', params: id, body: InstancePatchSchema, response: { 200: z.object({ id: z.number() }) } },
  }, async (req) => updateInstance(app.ctx.db, principalOf(req).accountId, req.params.id, req.body));
});
