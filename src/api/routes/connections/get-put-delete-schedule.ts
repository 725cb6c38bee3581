import { z } from 'zod';
import { deleteSchedule, getSchedule, putSchedule } from '../../../engine/schedules.ts';
import { CommonErrors } from '../../../shared/errors.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { ActionParams, ScheduleBody, ScheduleOut } from './_schemas.ts';

export default defineRoutes((app) => {
  const access = { roles: ['integration_admin' as const] };
  app.get('/api/v1/connections/:id/actions/:actionId/schedule', {
    config: access,
    schema: { tags: ['schedules'], summary: "An action's schedule", params: ActionParams, response: { 200: ScheduleOut } },
  }, async (req) => {
    const s = await getSchedule(app.ctx, principalOf(req).accountId, req.params.id, req.params.actionId);
    if (!s) throw CommonErrors.NOT_FOUND.create('this action has no schedule');
    return s;
  });

  app.put('/api/v1/connections/:id/actions/:actionId/schedule', {
    config: access,
    schema: {
      tags: ['schedules'],
      summary: 'Set the schedule: from a local start date/time in an IANA time zone, every N days (or hours where allowed)',
      params: ActionParams,
      body: ScheduleBody,
      response: { 200: ScheduleOut },
    },
  }, async (req) => putSchedule(app.ctx, principalOf(req).accountId, req.params.id, req.params.actionId, req.body));

  app.delete('/api/v1/connections/:id/actions/:actionId/schedule', {
    config: access,
    schema: { tags: ['schedules'], summary: 'Remove the schedule', params: ActionParams, response: { 204: z.null() } },
  }, async (req, reply) => {
    await deleteSchedule(app.ctx, principalOf(req).accountId, req.params.id, req.params.actionId);
    reply.status(204).send(null);
  });
});
