import { z } from 'zod';
import { getXapiImportConfig, listXapiImportConfigs } from '../../../pipelines/import-xapi/config-service.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { access, ConfigParams, ConfigView, ConnParams } from './_schemas.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/connections/:id/xapi-import/configurations', {
    config: access,
    schema: { tags: ['xapi-import'], summary: "The Import xAPI configurations of a connection (source file, filters, mappings)", params: ConnParams, response: { 200: z.array(ConfigView) } },
  }, async (req) => listXapiImportConfigs(app.ctx, principalOf(req).accountId, req.params.id));

  app.get('/api/v1/connections/:id/xapi-import/configurations/:configId', {
    config: access,
    schema: { tags: ['xapi-import'], summary: 'One Import xAPI configuration', params: ConfigParams, response: { 200: ConfigView } },
  }, async (req) => getXapiImportConfig(app.ctx, principalOf(req).accountId, req.params.id, req.params.configId));
});
