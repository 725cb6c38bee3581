import { z } from 'zod';
import { getActionOptions, putActionOptions } from '../../../engine/action-settings.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { ActionParams } from './_schemas.ts';

const Out = z.object({ options: z.record(z.string(), z.unknown()) });

export default defineRoutes((app) => {
  const access = { roles: ['integration_admin' as const] };
  app.get('/api/v1/connections/:id/actions/:actionId/settings', {
    config: access,
    schema: { tags: ['connections'], summary: "An action's saved settings (mapping, filters, options), defaults applied", params: ActionParams, response: { 200: Out } },
  }, async (req) => ({ options: await getActionOptions(app.ctx, principalOf(req).accountId, req.params.id, req.params.actionId) }));

  app.put('/api/v1/connections/:id/actions/:actionId/settings', {
    config: access,
    schema: { tags: ['connections'], summary: "Replace an action's settings (validated by the action's schema)", params: ActionParams, body: z.object({ options: z.record(z.string(), z.unknown()) }), response: { 200: Out } },
  }, async (req) => ({ options: await putActionOptions(app.ctx, principalOf(req).accountId, req.params.id, req.params.actionId, req.body.options) }));
});
