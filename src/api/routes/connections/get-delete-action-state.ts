import { z } from 'zod';
import { getActionState, resetActionState } from '../../../engine/action-state.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { ActionParams } from './_schemas.ts';

const StateOut = z.object({
  incremental: z.boolean().describe('whether the action reads only the changes since its last successful run'),
  state: z.unknown().describe('where the last successful run left off (e.g. a delta link); null: the next run reads everything'),
  runId: z.number().nullable(),
  updatedAt: z.date().nullable(),
});

export default defineRoutes((app) => {
  const access = { roles: ['integration_admin' as const] };
  app.get('/api/v1/connections/:id/actions/:actionId/state', {
    config: access,
    schema: { tags: ['connections'], summary: "An incremental action's state: where its last successful run left off", params: ActionParams, response: { 200: StateOut } },
  }, async (req) => getActionState(app.ctx, principalOf(req).accountId, req.params.id, req.params.actionId));

  app.delete('/api/v1/connections/:id/actions/:actionId/state', {
    config: access,
    schema: { tags: ['connections'], summary: 'Reset the state: the next run reads everything from the source', params: ActionParams, response: { 204: z.null() } },
  }, async (req, reply) => {
    await resetActionState(app.ctx, principalOf(req).accountId, req.params.id, req.params.actionId);
    return reply.code(204).send(null);
  });
});
