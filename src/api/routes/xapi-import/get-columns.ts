import { z } from 'zod';
import { discoverXapiColumns } from '../../../pipelines/import-xapi/config-service.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { access, ConnParams } from './_schemas.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/connections/:id/xapi-import/columns', {
    config: access,
    schema: {
      tags: ['xapi-import'],
      summary: 'The CSV files in import/xapi/ of the drop and their columns (header rows), for the mapping screen',
      params: ConnParams,
      querystring: z.object({ sourceFileName: z.string().max(255).optional().describe('only files matching this name or glob') }),
      response: {
        200: z.object({
          files: z.array(z.object({ name: z.string(), columns: z.array(z.string()), error: z.string().optional() })),
          columns: z.array(z.string()),
        }),
      },
    },
  }, async (req) => discoverXapiColumns(app.ctx, principalOf(req).accountId, req.params.id, req.query.sourceFileName));
});
