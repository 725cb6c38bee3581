import { z } from 'zod';
import { updateConnection } from '../../../engine/connections.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { ConnectionOut, IdParams } from './_schemas.ts';

export default defineRoutes((app) => {
  app.patch('/api/v1/connections/:id', {
    config: { roles: ['integration_admin'] },
    schema: {
      tags: ['connections'],
      summary: 'Update a connection; a secret left out (or sent as {"set": true}) keeps its stored value',
      params: IdParams,
      body: z.object({ name: z.string().min(1).optional(), enabled: z.boolean().optional(), settings: z.record(z.string(), z.unknown()).optional() }),
      response: { 200: ConnectionOut },
    },
  }, async (req) => updateConnection(app.ctx, principalOf(req).accountId, req.params.id, req.body));
});
