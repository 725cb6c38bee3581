import { parse } from 'csv-parse';
import type { AppContext } from '../../app-context.ts';
import type { ReportRowsOptions, ReportName } from '../../kit/run-context.ts';
import { openReportStream } from './report-stream.ts';

/**
 * A report's rows in batches (header name -> text), for exports to a vendor's API: the report's own query
 * streamed with COPY and parsed as it arrives (memory holds one batch), the same rows a CSV export writes.
 * @example for await (const batch of reportRows(ctx, 'learner-transcript', { accountId, from, to })) send(batch);
 */
export async function* reportRows(
  ctx: AppContext,
  report: ReportName,
  p: { accountId: number; from?: Date; to?: Date },
  o: ReportRowsOptions = {},
): AsyncGenerator<Array<Record<string, string>>> {
  const size = Math.max(1, Math.min(o.batchSize ?? 1000, 50_000));
  const r = await openReportStream(ctx, report, { ...p, ...(o.status ? { status: o.status } : {}) });
  const rows = r.stream.pipe(parse({ columns: true, bom: true }));
  let batch: Array<Record<string, string>> = [];
  try {
    for await (const row of rows as AsyncIterable<Record<string, string>>) {
      batch.push(row);
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
    await r.done;
  } finally {
    r.stream.destroy();
  }
}
