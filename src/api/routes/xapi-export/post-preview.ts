import { z } from 'zod';
import { isoDateInput } from '../../../shared/dates.ts';
import { getXapiExportConfig, XapiExportColumnSchema } from '../../../pipelines/export-xapi/export-config.ts';
import { XapiExportErrors } from '../../../pipelines/export-xapi/errors.ts';
import { previewXapiExport } from '../../../pipelines/export-xapi/export-stream.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.post('/api/v1/xapi-export/preview', {
    config: { roles: ['integration_admin'] },
    schema: {
      tags: ['xapi-export'],
      summary: 'The first rows of an xAPI export, as the CSV would hold them',
      description: 'Give a saved configuration (configurationId) or unsaved columns (to check them before saving). ' +
        'Statements stored in [from, to), voided ones excluded, in stored order.',
      body: z.object({
        configurationId: z.number().int().positive().optional(),
        columns: z.array(XapiExportColumnSchema).min(1).max(200).optional(),
        from: isoDateInput().optional(),
        to: isoDateInput().optional(),
        limit: z.number().int().min(1).max(200).default(20),
      }),
      response: { 200: z.object({ columns: z.array(z.string()), rows: z.array(z.array(z.string())) }) },
    },
  }, async (req) => {
    const accountId = principalOf(req).accountId;
    const b = req.body;
    if (!b.columns && !b.configurationId) throw XapiExportErrors.BAD_CONFIG.create({ detail: 'give configurationId or columns', field: 'configurationId' });
    const columns = b.columns ?? (await getXapiExportConfig(app.ctx.db, accountId, b.configurationId!, 'configurationId')).columns;
    return previewXapiExport(app.ctx, columns, { accountId, from: b.from, to: b.to }, b.limit);
  });
});
