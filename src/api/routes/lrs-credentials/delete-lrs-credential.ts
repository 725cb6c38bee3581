import { z } from 'zod';
import { revokeLrsCredential } from '../../../lrs/credentials.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.delete('/api/v1/lrs-credentials/:id', {
    config: { roles: ['integration_admin'] },
    schema: { tags: ['lrs'], summary: 'Revoke an LRS key (xAPI clients using it get 401 within seconds)', params: z.object({ id: z.coerce.number().int() }), response: { 204: z.null() } },
  }, async (req, reply) => {
    await revokeLrsCredential(app.ctx.db, principalOf(req).accountId, req.params.id);
    return reply.status(204).send(null);
  });
});
