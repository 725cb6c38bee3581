import { ident, int, lit, ts } from '../export-reports/sql-text.ts';
import type { ReportSelect } from '../export-reports/report-definition.ts';
import type { XapiExportColumn } from './export-config.ts';
import { parseJsonPath, pgPathElements } from './json-path.ts';

/** What a statement lacks (or holds with another type) is written as this constant (the spec's Power BI note). */
export const NA = 'N/A';

/** The statements of an account stored in [from, to) (either bound open), voided ones excluded. */
export interface XapiExportRange {
  accountId: number;
  from?: Date | null;
  to?: Date | null;
}

// ISO 8601 date or date-time (the xAPI Timestamp format); the zone suffix decides how the text is read.
const ISO_DATE = String.raw`^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}(:?\d{2})?)?)?$`;
const HAS_ZONE = String.raw`[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}(:?\d{2})?)$`;

/**
 * The SQL text producing one column's value from `s.statement`, always text, never null:
 * - string: the value's text (numbers and booleans as written, objects and arrays as JSON);
 * - number: a JSON number as stored; boolean: true / false;
 * - date: a string holding an ISO 8601 date-time, as ISO 8601 UTC with milliseconds (2026-03-01T09:30:00.000Z);
 *   a date-time without a zone is read as UTC, a date alone as midnight UTC;
 * - anything missing, JSON null, or of another type than the column's: N/A.
 * Every extraction is jsonb #> / #>> in the database, so COPY streams rows without them passing through JS.
 */
export function columnSql(c: XapiExportColumn): string {
  const path = `array[${pgPathElements(parseJsonPath(c.path)).map(lit).join(', ')}]::text[]`;
  const v = `s.statement #> ${path}`;
  const text = `s.statement #>> ${path}`;
  const na = lit(NA);
  switch (c.type) {
    case 'string':
      return `coalesce(${text}, ${na})`;
    case 'number':
    case 'boolean':
      return `case when jsonb_typeof(${v}) = ${lit(c.type)} then ${text} else ${na} end`;
    case 'date':
      // lmc_is_timestamptz (migration 0016: pg_input_is_valid on 16+, a caught cast on 15) keeps impossible dates
      // such as 2026-02-30 from failing the whole COPY.
      return `case when jsonb_typeof(${v}) = 'string' and ${text} ~ ${lit(ISO_DATE)} and lmc_is_timestamptz(${text}) then ` +
        `to_char(case when ${text} ~ ${lit(HAS_ZONE)} then (${text})::timestamptz at time zone 'UTC' else (${text})::timestamp end, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ` +
        `else ${na} end`;
  }
}

/**
 * The SELECT of an export: one column per configured column (headers as configured), one row per statement
 * stored in the range and not voided, in stored order (ties in one batch by arrival). Voiding statements are
 * rows like any other (they tell a reader of earlier files which statement was voided).
 * @example xapiExportSelect([{ path: 'verb.id', column: 'verb', type: 'string' }], { accountId: 1, from, to }).sql
 */
export function xapiExportSelect(columns: XapiExportColumn[], r: XapiExportRange, limit?: number): ReportSelect {
  const where = [`s.account_id = ${int(r.accountId)}`, 'not s.voided'];
  if (r.from) where.push(`s.stored >= ${ts(r.from)}`);
  if (r.to) where.push(`s.stored < ${ts(r.to)}`);
  const sql =
    `select ${columns.map((c) => `${columnSql(c)} as ${ident(c.column)}`).join(', ')} ` +
    `from lrs_statements s where ${where.join(' and ')} order by s.stored, s.seq` +
    (limit === undefined ? '' : ` limit ${int(limit)}`);
  return { sql, columns: columns.map((c) => c.column) };
}
