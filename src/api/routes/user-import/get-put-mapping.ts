import { z } from 'zod';
import { getMappingPage, saveMapping } from '../../../pipelines/import-users/mapping-service.ts';
import { UserImportMappingInputSchema, UserImportOptionsSchema } from '../../../platform/user-import/import-options.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { access, ConnParams, OptionsOut } from './_schemas.ts';

const PageOut = z.object({
  platformColumns: z.array(z.object({
    key: z.string(), label: z.string(), required: z.boolean(), fieldKind: z.enum(['csv', 'manual']).optional(), dontImportAllowed: z.boolean(), note: z.string().optional(),
  })),
  csvColumns: z.array(z.string()).describe("the source's columns: the template CSV's and the last files' for a file drop, the vendor's user fields for a directory or HR system"),
  sourceFields: z.array(z.object({
    name: z.string(), label: z.string().optional(), description: z.string().optional(), type: z.enum(['string', 'email', 'boolean', 'number', 'date']).optional(),
  })).nullable().describe("the vendor's user fields (connectors that read users from a vendor's API); null for file drops"),
  sourceFieldsError: z.string().optional().describe("why the vendor's fields could not be read"),
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
