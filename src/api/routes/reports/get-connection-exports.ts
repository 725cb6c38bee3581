import { z } from 'zod';
import { listConnectionExports } from '../../../pipelines/export-reports/exported-files.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/connections/:id/exports', {
    config: { roles: ['admin', 'integration_admin'] },
    schema: {
      tags: ['reports'],
      summary: "The exported files in a file-drop connection's export/ folder, newest first",
      params: z.object({ id: z.coerce.number().int().positive() }),
      response: { 200: z.array(z.object({ name: z.string(), path: z.string(), size: z.number(), modifiedAt: z.date() })) },
    },
  }, async (req) => {
    const files = await listConnectionExports(app.ctx, principalOf(req).accountId, req.params.id);
    return files.map(({ name, path, size, modifiedAt }) => ({ name, path, size, modifiedAt }));
  });
});
