import { AccountPatchSchema, AccountViewSchema, updateAccount } from '../../../platform/account-settings.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.patch('/api/v1/account', {
    config: { roles: ['admin'] },
    schema: { tags: ['accounts'], summary: 'Rename the account or switch its learning-path option', body: AccountPatchSchema, response: { 200: AccountViewSchema } },
  }, async (req) => updateAccount(app.ctx.db, principalOf(req).accountId, req.body));
});
