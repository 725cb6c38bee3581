import { z } from 'zod';
import { discoverColumns } from '../../../pipelines/import-users/mapping-service.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { access, ConnParams } from './_schemas.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/connections/:id/user-import/columns', {
    config: access,
    schema: {
      tags: ['user-import'],
      summary: 'The columns of the CSV files present in import/user/internal/ of the drop',
      params: ConnParams,
      response: { 200: z.object({ files: z.array(z.object({ name: z.string(), columns: z.array(z.string()) })), columns: z.array(z.string()) }) },
    },
  }, async (req) => discoverColumns(app.ctx, principalOf(req).accountId, req.params.id));
});
