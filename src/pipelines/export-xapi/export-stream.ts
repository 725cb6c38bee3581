import type { AppContext } from '../../app-context.ts';
import { copyCsvFrom, type CsvAudience, type ReportStream } from '../export-reports/report-stream.ts';
import { XapiExportErrors } from './errors.ts';
import { validateColumns, type XapiExportColumn } from './export-config.ts';
import { xapiExportSelect, type XapiExportRange } from './export-query.ts';

function checkRange(r: XapiExportRange): void {
  for (const [k, v] of [['from', r.from], ['to', r.to]] as const) {
    if (v && Number.isNaN(v.getTime())) throw XapiExportErrors.BAD_RANGE.create({ detail: `${k} is not a date`, field: k });
  }
  if (r.from && r.to && r.from.getTime() > r.to.getTime()) throw XapiExportErrors.BAD_RANGE.create({ detail: 'from is after to', field: 'from' });
}

/**
 * Streams the statements stored in the range as CSV (header row = the configured column names) straight from
 * PostgreSQL: COPY (SELECT ...) TO STDOUT with every JSON path extracted in SQL, so memory stays flat.
 * @example const r = await openXapiExportStream(ctx, config.columns, { accountId, from, to }); await pipeline(r.stream, out); await r.done;
 */
export async function openXapiExportStream(ctx: AppContext, columns: XapiExportColumn[], range: XapiExportRange, opts: CsvAudience = {}): Promise<ReportStream> {
  checkRange(range);
  const select = xapiExportSelect(validateColumns(columns), range);
  const client = await ctx.pool.connect();
  return copyCsvFrom(client, select, (err) => XapiExportErrors.FAILED.create({ detail: err.message, cause: err }), opts);
}

/** The first rows of an export, as the CSV would hold them (for checking a configuration before saving it). */
export interface XapiExportPreview {
  columns: string[];
  rows: string[][];
}

/**
 * The first `limit` rows (at most 200) of the export of the range, in the CSV's order.
 * @example await previewXapiExport(ctx, columns, { accountId, from }, 20)
 */
export async function previewXapiExport(ctx: AppContext, columns: XapiExportColumn[], range: XapiExportRange, limit = 20): Promise<XapiExportPreview> {
  checkRange(range);
  const n = Math.max(1, Math.min(200, Math.trunc(limit)));
  const select = xapiExportSelect(validateColumns(columns), range, n);
  const r = await ctx.pool.query<string[]>({ text: select.sql, rowMode: 'array' });
  return { columns: select.columns, rows: r.rows };
}
