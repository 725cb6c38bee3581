import { z } from 'zod';
import { AuthorizationViewSchema, listUserAuthorizations } from '../../../platform/oauth/grants.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/me/oauth-authorizations', {
    schema: { tags: ['oauth'], summary: 'The applications you have allowed to act for you, still holding tokens', response: { 200: z.array(AuthorizationViewSchema) } },
  }, async (req) => {
    const p = principalOf(req);
    return listUserAuthorizations(app.ctx.db, p.accountId, p.userId);
  });
});
