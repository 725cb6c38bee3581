import { createXapiExportConfig } from '../../../pipelines/export-xapi/export-config.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { ConfigInput, ConfigView } from './_schemas.ts';

export default defineRoutes((app) => {
  app.post('/api/v1/xapi-export/configurations', {
    config: { roles: ['integration_admin'] },
    schema: {
      tags: ['xapi-export'],
      summary: 'Create an xAPI export configuration',
      description: 'Columns in CSV order. Paths: dots between names, ["..."] for keys such as IRIs, [0] for array items (docs/xapi-export.md). ' +
        'Column headers are unique (case-insensitively).',
      body: ConfigInput,
      response: { 201: ConfigView },
    },
  }, async (req, reply) => {
    reply.status(201);
    return createXapiExportConfig(app.ctx.db, principalOf(req).accountId, req.body);
  });
});
