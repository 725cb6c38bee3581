import { z } from 'zod';
import { deleteApp } from '../../../platform/oauth/apps.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { APP_ADMIN_ROLES } from './_schemas.ts';

export default defineRoutes((app) => {
  app.delete('/api/v1/oauth-apps/:id', {
    config: { roles: APP_ADMIN_ROLES },
    schema: { tags: ['oauth-apps'], summary: 'Delete an application with its tokens', params: z.object({ id: z.coerce.number().int().positive() }), response: { 204: z.null() } },
  }, async (req, reply) => {
    await deleteApp(app.ctx.db, principalOf(req).accountId, req.params.id);
    return reply.status(204).send(null);
  });
});
