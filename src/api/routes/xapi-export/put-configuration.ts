import { updateXapiExportConfig } from '../../../pipelines/export-xapi/export-config.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { ConfigInput, ConfigParams, ConfigView } from './_schemas.ts';

export default defineRoutes((app) => {
  app.put('/api/v1/xapi-export/configurations/:id', {
    config: { roles: ['integration_admin'] },
    schema: { tags: ['xapi-export'], summary: "Replace an xAPI export configuration's name and columns", params: ConfigParams, body: ConfigInput, response: { 200: ConfigView } },
  }, async (req) => updateXapiExportConfig(app.ctx.db, principalOf(req).accountId, req.params.id, req.body));
});
