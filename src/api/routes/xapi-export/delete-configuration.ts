import { z } from 'zod';
import { deleteXapiExportConfig } from '../../../pipelines/export-xapi/export-config.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { ConfigParams } from './_schemas.ts';

export default defineRoutes((app) => {
  app.delete('/api/v1/xapi-export/configurations/:id', {
    config: { roles: ['integration_admin'] },
    schema: {
      tags: ['xapi-export'],
      summary: 'Delete an xAPI export configuration (export actions still naming it fail until given another)',
      params: ConfigParams,
      response: { 204: z.null() },
    },
  }, async (req, reply) => {
    await deleteXapiExportConfig(app.ctx.db, principalOf(req).accountId, req.params.id);
    return reply.status(204).send(null);
  });
});
