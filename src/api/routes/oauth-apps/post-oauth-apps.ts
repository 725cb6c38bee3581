import { z } from 'zod';
import { approveApp, AppViewSchema, NewAppSchema, registerApp, revokeApp, rotateSecret } from '../../../platform/oauth/apps.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { APP_ADMIN_ROLES } from './_schemas.ts';

const WithSecret = AppViewSchema.extend({ clientSecret: z.string().describe('shown in this answer only; the server keeps a hash') });
const Id = z.object({ id: z.coerce.number().int().positive() });

export default defineRoutes((app) => {
  app.post('/api/v1/oauth-apps', {
    config: { roles: APP_ADMIN_ROLES },
    schema: { tags: ['oauth-apps'], summary: 'Register an OAuth application (pending until approved); answers its client id and secret, the secret only this once', body: NewAppSchema, response: { 201: WithSecret } },
  }, async (req, reply) => {
    const p = principalOf(req);
    reply.status(201).header('cache-control', 'no-store');
    return registerApp(app.ctx.db, p, req.body);
  });

  app.post('/api/v1/oauth-apps/:id/approve', {
    config: { roles: APP_ADMIN_ROLES },
    schema: { tags: ['oauth-apps'], summary: 'Approve an application: its users may then authorize it', params: Id, response: { 200: AppViewSchema } },
  }, async (req) => approveApp(app.ctx.db, principalOf(req), req.params.id));

  app.post('/api/v1/oauth-apps/:id/secret', {
    config: { roles: APP_ADMIN_ROLES },
    schema: { tags: ['oauth-apps'], summary: 'Issue a new client secret (shown once); the old one stops working', params: Id, response: { 200: WithSecret } },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return rotateSecret(app.ctx.db, principalOf(req).accountId, req.params.id);
  });

  app.post('/api/v1/oauth-apps/:id/revoke', {
    config: { roles: APP_ADMIN_ROLES },
    schema: { tags: ['oauth-apps'], summary: 'Revoke an application: its credentials and every token it holds stop working', params: Id, response: { 200: AppViewSchema } },
  }, async (req) => revokeApp(app.ctx.db, principalOf(req).accountId, req.params.id));
});
