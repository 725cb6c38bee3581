import { z } from 'zod';
import { getMappingPage, saveMapping } from '../../../pipelines/import-users/mapping-service.ts';
import { UserImportMappingInputSchema, UserImportOptionsSchema } from '../../../platform/user-import/import-options.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { access, ConnParams, OptionsOut } from './_schemas.ts';

const PageOut = z.object({
  platformColumns: z.array(z.object({
    key: z.string(), label: z.string(), required: z.boolean(), fieldKind: z.enum(['csv', 'manual']).optional(), dontImportAllowed: z.boolean(), note: z.string().optional(),
  })),
  csvColumns: z.array(z.string()).describe('columns of the uploaded template CSV'),
  options: UserImportOptionsSchema,
  ready: z.boolean().describe('the mapping is complete: the import can run'),
  problems: z.array(z.string()),
});

export default defineRoutes((app) => {
  app.get('/api/v1/connections/:id/user-import/mapping', {
    config: access,
    schema: { tags: ['user-import'], summary: 'Map Attributes page data: platform columns, template CSV columns, saved mapping, filters and options', params: ConnParams, response: { 200: PageOut } },
  }, async (req) => getMappingPage(app.ctx, principalOf(req).accountId, req.params.id));

  app.put('/api/v1/connections/:id/user-import/mapping', {
    config: access,
    schema: {
      tags: ['user-import'],
      summary: 'Save the mapping (every platform column and active field must be covered)',
      params: ConnParams,
      body: z.object({ mapping: UserImportMappingInputSchema, confirmDeleteFields: z.array(z.string()).optional().describe('csv active fields set to DontImportFromSource whose deletion you confirm') }),
      response: { 200: OptionsOut },
    },
  }, async (req) => ({ options: await saveMapping(app.ctx, principalOf(req).accountId, req.params.id, req.body) }));
});
