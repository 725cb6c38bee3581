import { z } from 'zod';
import { listSourceFields } from '../../../pipelines/import-users/source-fields.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { access, ConnParams } from './_schemas.ts';

const Field = z.object({
  name: z.string().describe('what a mapping names'),
  label: z.string(),
  description: z.string().optional(),
  type: z.enum(['string', 'email', 'boolean', 'number', 'date']).optional(),
});

export default defineRoutes((app) => {
  app.get('/api/v1/connections/:id/user-import/source-fields', {
    config: access,
    schema: {
      tags: ['user-import'],
      summary: "The user fields of the connection's vendor (connectors that read users from an API), for the mapping",
      params: ConnParams,
      response: { 200: z.object({ source: z.string(), fields: z.array(Field) }) },
    },
  }, async (req) => listSourceFields(app.ctx, principalOf(req).accountId, req.params.id));
});
