import { z } from 'zod';
import { addModule, addSession, createInstance } from '../../../platform/trainings/instances.ts';
import { createTraining } from '../../../platform/trainings/trainings.ts';
import { NewInstanceSchema, NewModuleSchema, NewTrainingSchema, SessionSchema, TrainingDetailSchema } from '../../../platform/trainings/training-schemas.ts';
import { defineRoutes, principalOf } from '../../types.ts';

const id = z.object({ id: z.coerce.number().int().positive() });

export default defineRoutes((app) => {
  app.post('/api/v1/trainings', {
    config: { roles: ['admin', 'author'] },
    schema: { tags: ['trainings'], summary: 'Create a course, learning path (ordered courses) or certification', body: NewTrainingSchema, response: { 201: TrainingDetailSchema } },
  }, async (req, reply) => {
    reply.status(201);
    return createTraining(app.ctx.db, principalOf(req).accountId, req.body);
  });

  app.post('/api/v1/trainings/:id/instances', {
    config: { roles: ['admin', 'author'] },
    schema: { tags: ['trainings'], summary: 'Add an instance (seat and waitlist limits, sessions)', params: id, body: NewInstanceSchema, response: { 201: z.object({ id: z.number(), trainingId: z.number() }) } },
  }, async (req, reply) => {
    reply.status(201);
    return createInstance(app.ctx.db, principalOf(req).accountId, req.params.id, req.body);
  });

  app.post('/api/v1/instances/:id/sessions', {
    config: { roles: ['admin', 'author'] },
    schema: { tags: ['trainings'], summary: 'Add a session to an instance (virtual classroom provider and meeting details, or a room)', params: id, body: SessionSchema, response: { 201: z.object({ id: z.number() }) } },
  }, async (req, reply) => {
    reply.status(201);
    return addSession(app.ctx.db, principalOf(req).accountId, req.params.id, req.body);
  });

  app.post('/api/v1/trainings/:id/modules', {
    config: { roles: ['admin', 'author'] },
    schema: { tags: ['trainings'], summary: 'Append a module (self-paced content incl. AICC, virtual classroom, classroom)', params: id, body: NewModuleSchema, response: { 201: z.object({ id: z.number() }) } },
  }, async (req, reply) => {
    reply.status(201);
    return addModule(app.ctx.db, principalOf(req).accountId, req.params.id, req.body);
  });
});
