import { updateXapiImportConfig } from '../../../pipelines/import-xapi/config-service.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { access, ConfigParams, ConfigUpdate, ConfigView } from './_schemas.ts';

export default defineRoutes((app) => {
  app.put('/api/v1/connections/:id/xapi-import/configurations/:configId', {
    config: access,
    schema: {
      tags: ['xapi-import'],
      summary: 'Change an Import xAPI configuration (the fields given replace the saved ones; the id, part of every statement id, stays)',
      params: ConfigParams,
      body: ConfigUpdate,
      response: { 200: ConfigView },
    },
  }, async (req) => updateXapiImportConfig(app.ctx, principalOf(req).accountId, req.params.id, req.params.configId, req.body));
});
