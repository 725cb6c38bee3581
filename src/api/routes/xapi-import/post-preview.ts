import { z } from 'zod';
import { previewXapiImport } from '../../../pipelines/import-xapi/config-service.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { access, ConfigCreate, ConnParams } from './_schemas.ts';

export default defineRoutes((app) => {
  app.post('/api/v1/connections/:id/xapi-import/preview', {
    config: access,
    schema: {
      tags: ['xapi-import'],
      summary: 'Dry run of a configuration on the first rows of a file in the drop: each row as its statement, skipped, or rejected',
      description: 'Give a saved configuration (configurationId) or an unsaved one (configuration) to check it before saving. Nothing is stored.',
      params: ConnParams,
      body: z.object({
        configurationId: z.string().uuid().optional(),
        configuration: ConfigCreate.optional(),
        fileName: z.string().max(255).optional().describe('default: the first file matching the source file name'),
        limit: z.number().int().min(1).max(200).default(10),
      }),
      response: {
        200: z.object({
          file: z.string().nullable(),
          columns: z.array(z.string()),
          missingColumns: z.array(z.string()),
          rows: z.array(
            z.object({
              file: z.string(),
              line: z.number(),
              outcome: z.enum(['statement', 'skipped', 'rejected']),
              statement: z.record(z.string(), z.unknown()).optional(),
              field: z.string().optional(),
              reason: z.string().optional(),
            }),
          ),
        }),
      },
    },
  }, async (req) => previewXapiImport(app.ctx, principalOf(req).accountId, req.params.id, req.body));
});
