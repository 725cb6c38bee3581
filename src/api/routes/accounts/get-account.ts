import { accountView, AccountViewSchema } from '../../../platform/account-settings.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/account', {
    config: { roles: ['admin', 'integration_admin'] },
    schema: { tags: ['accounts'], summary: 'The caller\'s account and its options', response: { 200: AccountViewSchema } },
  }, async (req) => accountView(app.ctx.db, principalOf(req).accountId));
});
