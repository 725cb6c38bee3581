import { z } from 'zod';
import { getXapiExportConfig, listXapiExportConfigs } from '../../../pipelines/export-xapi/export-config.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { ConfigParams, ConfigView } from './_schemas.ts';

export default defineRoutes((app) => {
  const access = { roles: ['integration_admin' as const] };
  app.get('/api/v1/xapi-export/configurations', {
    config: access,
    schema: { tags: ['xapi-export'], summary: "The account's xAPI export configurations (JSON path → CSV column, with types)", response: { 200: z.array(ConfigView) } },
  }, async (req) => listXapiExportConfigs(app.ctx.db, principalOf(req).accountId));

  app.get('/api/v1/xapi-export/configurations/:id', {
    config: access,
    schema: { tags: ['xapi-export'], summary: 'One xAPI export configuration', params: ConfigParams, response: { 200: ConfigView } },
  }, async (req) => getXapiExportConfig(app.ctx.db, principalOf(req).accountId, req.params.id));
});
