import { z } from 'zod';
import { errorReportCsv, getRunFile } from '../../../engine/runs.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { RunIdParams } from './_schemas.ts';

export default defineRoutes((app) => {
  const access = { roles: ['integration_admin' as const] };
  app.get('/api/v1/runs/:id/errors.csv', {
    config: access,
    schema: { tags: ['runs'], summary: 'The error report: every rejected record with its source (file and line, or record id) and the reason (CSV, streamed)', params: RunIdParams, produces: ['text/csv'] },
  }, async (req, reply) => {
    const csv = await errorReportCsv(app.ctx, principalOf(req).accountId, req.params.id);
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="run-${req.params.id}-errors.csv"`);
    return reply.send(csv);
  });

  app.get('/api/v1/runs/:id/files/:name', {
    config: access,
    schema: { tags: ['runs'], summary: 'A file the run produced (e.g. the dry run\'s change-set.csv), streamed', params: RunIdParams.extend({ name: z.string() }) },
  }, async (req, reply) => {
    const f = await getRunFile(app.ctx, principalOf(req).accountId, req.params.id, req.params.name);
    reply.header('content-type', f.contentType).header('content-length', String(f.size)).header('content-disposition', `attachment; filename="${f.name.replace(/["\\\r\n]/g, '_')}"`);
    // Streamed chunk by chunk from the database: a change set of hundreds of MB is never held in memory.
    return reply.send(f.open());
  });
});
