import { z } from 'zod';
import { deleteConnection } from '../../../engine/connections.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { IdParams } from './_schemas.ts';

export default defineRoutes((app) => {
  app.delete('/api/v1/connections/:id', {
    config: { roles: ['integration_admin'] },
    schema: {
      tags: ['connections'],
      summary: 'Delete a connection (its run history is kept and comes back with a connection of the same connector and name)',
      params: IdParams,
      response: { 204: z.null() },
    },
  }, async (req, reply) => {
    await deleteConnection(app.ctx, principalOf(req).accountId, req.params.id);
    reply.status(204).send(null);
  });
});
