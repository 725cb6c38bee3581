import { z } from 'zod';
import { isoDateInput } from '../../../shared/dates.ts';
import { fileDate } from '../../../pipelines/export-reports/export-file-name.ts';
import { REPORT_IDS, TRANSCRIPT_STATUSES, type ComponentReportId } from '../../../pipelines/export-reports/report-definition.ts';
import { openReportStream } from '../../../pipelines/export-reports/report-stream.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/reports/:report', {
    config: { roles: ['admin', 'integration_admin'] },
    schema: {
      tags: ['reports'],
      summary: 'Runs a report and streams it as CSV (UTF-8, header row)',
      description: 'The range is [from, to): from inclusive, to exclusive (ISO 8601 dates or date-times; a date alone is midnight UTC). ' +
        '`status` filters the learner transcript; `include` lists the reports a unified report combines (comma-separated).',
      params: z.object({ report: z.enum(REPORT_IDS) }),
      querystring: z.object({
        from: isoDateInput().optional(),
        to: isoDateInput().optional(),
        status: z.enum(TRANSCRIPT_STATUSES).optional(),
        include: z.string().optional().describe('unified report: e.g. users,learner-transcript,trainings'),
      }),
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const q = req.query;
    const include = q.include ? (q.include.split(',').map((s) => s.trim()).filter(Boolean) as ComponentReportId[]) : undefined;
    const r = await openReportStream(app.ctx, req.params.report, { accountId: p.accountId, from: q.from, to: q.to, status: q.status, include }, { forPeople: true });
    // Fastify destroys the stream when the client goes away mid-download; the stream's close then ends the COPY
    // and drops its connection (openReportStream).
    const name = `${req.params.report}_${fileDate(q.from)}_to_${fileDate(q.to ?? app.ctx.clock.now())}.csv`;
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(r.stream);
  });
});
