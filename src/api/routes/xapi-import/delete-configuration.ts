import { deleteXapiImportConfig } from '../../../pipelines/import-xapi/config-service.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { access, ConfigParams } from './_schemas.ts';

export default defineRoutes((app) => {
  app.delete('/api/v1/connections/:id/xapi-import/configurations/:configId', {
    config: access,
    schema: { tags: ['xapi-import'], summary: 'Delete an Import xAPI configuration (statements it imported stay in the LRS)', params: ConfigParams },
  }, async (req, reply) => {
    await deleteXapiImportConfig(app.ctx, principalOf(req).accountId, req.params.id, req.params.configId);
    return reply.code(204).send();
  });
});
