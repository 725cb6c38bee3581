import { createXapiImportConfig } from '../../../pipelines/import-xapi/config-service.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { access, ConfigCreate, ConfigView, ConnParams } from './_schemas.ts';

export default defineRoutes((app) => {
  app.post('/api/v1/connections/:id/xapi-import/configurations', {
    config: access,
    schema: {
      tags: ['xapi-import'],
      summary: 'Add an Import xAPI configuration',
      description: 'Name and source file name (exact, or a glob such as activity_*.csv, matched in import/xapi/) are enough: the mappings start with actor.mbox, verb.id and object.id, to be given columns.',
      params: ConnParams,
      body: ConfigCreate,
      response: { 201: ConfigView },
    },
  }, async (req, reply) => reply.code(201).send(await createXapiImportConfig(app.ctx, principalOf(req).accountId, req.params.id, req.body)));
});
