import { z } from 'zod';
import { saveFilters, saveImportSettings } from '../../../pipelines/import-users/mapping-service.ts';
import { UserImportFiltersSchema, UserImportOptionsSchema } from '../../../platform/user-import/import-options.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { access, ConnParams, OptionsOut } from './_schemas.ts';

export default defineRoutes((app) => {
  app.put('/api/v1/connections/:id/user-import/filters', {
    config: access,
    schema: { tags: ['user-import'], summary: 'Save the filters: hierarchy under managers (by email, transitively) and column equals one of values', params: ConnParams, body: UserImportFiltersSchema, response: { 200: OptionsOut } },
  }, async (req) => ({ options: await saveFilters(app.ctx, principalOf(req).accountId, req.params.id, req.body) }));

  app.put('/api/v1/connections/:id/user-import/settings', {
    config: access,
    schema: {
      tags: ['user-import'],
      summary: 'What happens to users of this source absent from the files (keep, suspend, delete), and the approval threshold',
      params: ConnParams,
      body: z.object({ absentUsers: UserImportOptionsSchema.shape.absentUsers.optional(), approvalThreshold: z.number().min(0).max(1).optional() }),
      response: { 200: OptionsOut },
    },
  }, async (req) => ({ options: await saveImportSettings(app.ctx, principalOf(req).accountId, req.params.id, req.body) }));
});
