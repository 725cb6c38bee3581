import { z } from 'zod';
import { deleteActiveField } from '../../../platform/fields/active-fields.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.delete('/api/v1/active-fields/:id', {
    config: { roles: ['admin', 'integration_admin'] },
    schema: {
      tags: ['active-fields'],
      summary: 'Delete an active field with its values and groups',
      params: z.object({ id: z.coerce.number().int().positive() }),
      response: { 204: z.null() },
    },
  }, async (req, reply) => {
    await deleteActiveField(app.ctx.db, principalOf(req).accountId, req.params.id);
    reply.status(204);
    return null;
  });
});
