import { parse } from 'csv-parse';
import type { AppContext } from '../../app-context.ts';
import type { ReportId, ReportParams } from './report-definition.ts';
import { openReportStream } from './report-stream.ts';

/**
 * A report's rows as objects (column header -> text, empty cells as ''), for exports that send rows to a
 * vendor's API instead of a file: the very query of the report's CSV (same columns, filters and order,
 * streamed from PostgreSQL, never all in memory).
 * @example for await (const row of reportRows(ctx, 'user-skills', { accountId, from, to })) send(row['Email'], row['Skill'])
 */
export async function* reportRows(ctx: AppContext, id: ReportId, params: ReportParams): AsyncGenerator<Record<string, string>> {
  const r = await openReportStream(ctx, id, params);
  const rows = r.stream.pipe(parse({ columns: true, bom: true }));
  try {
    for await (const row of rows) yield row as Record<string, string>;
    await r.done;
  } finally {
    r.stream.destroy();
  }
}
