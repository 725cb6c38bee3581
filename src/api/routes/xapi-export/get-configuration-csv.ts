import { getXapiExportConfig } from '../../../pipelines/export-xapi/export-config.ts';
import { xapiExportFileName } from '../../../pipelines/export-xapi/export-xapi-action.ts';
import { openXapiExportStream } from '../../../pipelines/export-xapi/export-stream.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { ConfigParams, RangeQuery } from './_schemas.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/xapi-export/configurations/:id/csv', {
    config: { roles: ['integration_admin'] },
    schema: {
      tags: ['xapi-export'],
      summary: 'Streams the xAPI export of a date range as CSV (UTF-8, header row)',
      description: 'Statements stored in [from, to) (to defaults to now), voided ones excluded, in stored order; N/A where a statement lacks a path. ' +
        'The same file the "Export xAPI" action writes.',
      params: ConfigParams,
      querystring: RangeQuery,
    },
  }, async (req, reply) => {
    const accountId = principalOf(req).accountId;
    const config = await getXapiExportConfig(app.ctx.db, accountId, req.params.id);
    const to = req.query.to ?? app.ctx.clock.now();
    const r = await openXapiExportStream(app.ctx, config.columns, { accountId, from: req.query.from, to }, { forPeople: true });
    // A client going away mid-download destroys the stream, which ends the COPY and drops its connection.
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${xapiExportFileName(req.query.from, to)}"`)
      .send(r.stream);
  });
});
