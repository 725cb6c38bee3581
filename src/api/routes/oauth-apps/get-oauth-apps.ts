import { z } from 'zod';
import { AppViewSchema, getApp, listApps } from '../../../platform/oauth/apps.ts';
import { SCOPES } from '../../../platform/oauth/scopes.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { APP_ADMIN_ROLES } from './_schemas.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/oauth-apps', {
    config: { roles: APP_ADMIN_ROLES },
    schema: { tags: ['oauth-apps'], summary: "The account's OAuth applications (client secrets are never shown again)", response: { 200: z.array(AppViewSchema) } },
  }, async (req) => listApps(app.ctx.db, principalOf(req).accountId));

  app.get('/api/v1/oauth-apps/:id', {
    config: { roles: APP_ADMIN_ROLES },
    schema: { tags: ['oauth-apps'], summary: 'One OAuth application', params: z.object({ id: z.coerce.number().int().positive() }), response: { 200: AppViewSchema } },
  }, async (req) => getApp(app.ctx.db, principalOf(req).accountId, req.params.id));

  app.get('/api/v1/oauth-scopes', {
    config: { roles: APP_ADMIN_ROLES },
    schema: { tags: ['oauth-apps'], summary: 'The scopes an application may ask for, with what each allows', response: { 200: z.array(z.object({ scope: z.string(), label: z.string() })) } },
  }, async () => Object.entries(SCOPES).map(([scope, label]) => ({ scope, label })));
});
