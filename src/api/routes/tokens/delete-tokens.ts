import { z } from 'zod';
import { revokeApiToken } from '../../../platform/api-tokens.ts';
import { CommonErrors } from '../../../shared/errors.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.delete('/api/v1/tokens/:id', {
    config: { roles: ['admin'] },
    schema: { tags: ['tokens'], summary: 'Revoke an API token', params: z.object({ id: z.coerce.number().int().positive() }), response: { 204: z.null() } },
  }, async (req, reply) => {
    if (!(await revokeApiToken(app.ctx.db, principalOf(req).accountId, req.params.id))) throw CommonErrors.NOT_FOUND.create(`token ${req.params.id}`);
    reply.status(204);
    return null;
  });
});
