import { parse } from 'csv-parse';
import type { AppContext } from '../../app-context.ts';
import type { ReportId, ReportParams } from './report-definition.ts';
import { openReportStream } from './report-stream.ts';

/**
 * A report's rows as records (header -> text; empty cells are ''), for exports to vendor APIs that write
 * records rather than files. Same query as the CSV exports (openReportStream: COPY streamed from PostgreSQL),
 * parsed as it arrives: memory stays flat whatever the size, and a consumer that stops early closes the COPY.
 * @example for await (const row of reportRows(ctx, 'learner-transcript', { accountId, from, to })) send(row['Email'])
 */
export async function* reportRows(ctx: AppContext, id: ReportId, params: ReportParams, signal?: AbortSignal): AsyncGenerator<Record<string, string>> {
  const r = await openReportStream(ctx, id, params);
  const parser = r.stream.pipe(parse({ columns: true, bom: true, relax_quotes: false }));
  const abort = () => r.stream.destroy(new Error('the run was cancelled'));
  signal?.addEventListener('abort', abort, { once: true });
  let finished = false;
  try {
    for await (const row of parser) yield row as Record<string, string>;
    await r.done;
    finished = true;
  } finally {
    signal?.removeEventListener('abort', abort);
    if (!finished) {
      r.stream.destroy();
      await r.done.catch(() => undefined);
    }
  }
}
