import { z } from 'zod';
import { listConnectionExports, openConnectionExport } from '../../../pipelines/export-reports/exported-files.ts';
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

  app.get('/api/v1/connections/:id/exports/file', {
    config: { roles: ['admin', 'integration_admin'] },
    schema: {
      tags: ['reports'],
      summary: "Downloads one exported file of a file-drop connection's export/ folder (path as the list gives it), streamed",
      params: z.object({ id: z.coerce.number().int().positive() }),
      querystring: z.object({ path: z.string().min(1).describe('e.g. export/bi/xapi_statements_….csv') }),
    },
  }, async (req, reply) => {
    const f = await openConnectionExport(app.ctx, principalOf(req).accountId, req.params.id, req.query.path);
    reply.header('content-type', f.name.endsWith('.zip') ? 'application/zip' : 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${f.name.replace(/["\\\r\n]/g, '_')}"`);
    return reply.send(f.stream);
  });
});
