import type { Readable } from 'node:stream';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { AppContext } from '../../app-context.ts';
import { ReportErrors } from './errors.ts';
import type { ReportId, ReportParams, ReportSelect } from './report-definition.ts';
import { TRANSCRIPT_STATUSES } from './report-definition.ts';
import { reportSelect, unifiedSelect } from './report-query.ts';
import { ident } from './sql-text.ts';
import { neutraliseSelectSql } from '../../shared/csv-formula.ts';
import { COMPONENT_REPORTS, componentReport, reportInfo } from './registry.ts';

/** A report being streamed as CSV (UTF-8, header row, RFC 4180 quoting). */
export interface ReportStream {
  /** The CSV bytes: consume it (pipe it to a file, a response, a zip). */
  stream: Readable;
  columns: string[];
  /** Resolves after the last byte with the number of data rows; rejects when the query failed. */
  done: Promise<{ rows: number }>;
}

/** Checks the parameters a caller gave (range order, status, unified selection). */
export function validateParams(id: ReportId, p: ReportParams): void {
  for (const [k, v] of [['from', p.from], ['to', p.to]] as const) {
    if (v && Number.isNaN(v.getTime())) throw ReportErrors.BAD_RANGE.create({ detail: `${k} is not a date`, field: k });
  }
  if (p.from && p.to && p.from.getTime() > p.to.getTime()) throw ReportErrors.BAD_RANGE.create({ detail: 'from is after to', field: 'from' });
  if (p.status && !(TRANSCRIPT_STATUSES as readonly string[]).includes(p.status)) {
    throw ReportErrors.BAD_STATUS.create({ detail: `${p.status} (one of ${TRANSCRIPT_STATUSES.join(', ')})`, field: 'status' });
  }
  if (id === 'unified' && p.include && p.include.length === 0) throw ReportErrors.BAD_SELECTION.create({ field: 'include' });
}

/** The SELECT of any report for an account (active fields read from `client`). */
export async function buildReportSelect(client: pg.ClientBase, id: ReportId, p: ReportParams): Promise<ReportSelect> {
  reportInfo(id);
  validateParams(id, p);
  const fields = await client.query<{ name: string }>('select name from active_fields where account_id = $1 order by lower(name), id', [p.accountId]);
  const env = { activeFields: fields.rows.map((r) => r.name) };
  if (id === 'unified') return unifiedSelect(p.include ? p.include.map(componentReport) : COMPONENT_REPORTS, p, env);
  return reportSelect(componentReport(id), p, env);
}

/** The COPY statement that streams a SELECT as CSV with a header row. */
export const copyCsv = (selectSql: string): string => `copy (${selectSql}) to stdout with (format csv, header true, encoding 'UTF8')`;

/**
 * Streams a report as CSV straight from PostgreSQL (COPY (SELECT ...) TO STDOUT): rows are never held in
 * memory, back-pressure from the consumer pauses the database connection.
 *
 * @example const r = await openReportStream(ctx, 'user-skills', { accountId: 1, from }); await pipeline(r.stream, file); await r.done;
 */
export async function openReportStream(ctx: AppContext, id: ReportId, p: ReportParams, opts: CsvAudience = {}): Promise<ReportStream> {
  const client = await ctx.pool.connect();
  let select: ReportSelect;
  try {
    select = await buildReportSelect(client, id, p);
  } catch (e) {
    client.release();
    throw e;
  }
  return copyCsvFrom(client, select, undefined, opts);
}

/** Who reads a CSV: a person (web app, API download, CLI) gets formula-like cells neutralised. */
export interface CsvAudience {
  /** Write cells that start like a formula as text (src/shared/csv-formula.ts). Exports into drops for other systems: false. */
  forPeople?: boolean;
}

/**
 * Streams any SELECT as CSV with a header row through COPY on `client`, which it owns from then on (released
 * after the last byte, or destroyed on failure: a connection mid-COPY never goes back to the pool). Failures
 * reach `done` as `failed(err)` (default: LMC_ERR_REPORT_FAILED). Shared by the report exports and the xAPI export.
 *
 * @example const r = copyCsvFrom(await ctx.pool.connect(), { sql: 'select 1 as one', columns: ['one'] });
 */
export function copyCsvFrom(client: pg.PoolClient, select: ReportSelect, failed: (err: Error) => Error = (err) => ReportErrors.FAILED.create({ detail: err.message, cause: err }), opts: CsvAudience = {}): ReportStream {
  const sqlText = opts.forPeople ? neutraliseSelectSql(select.sql, select.columns, ident) : select.sql;
  const stream = client.query(copyStreams.to(copyCsv(sqlText)));
  let settled = false;
  const done = new Promise<{ rows: number }>((resolve, reject) => {
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      // The connection may be mid-COPY: never hand it back to the pool.
      client.release(err);
      reject(failed(err));
    };
    stream.on('error', fail);
    stream.on('close', () => {
      if (!stream.readableEnded) fail(new Error('the report stream was closed before its end'));
    });
    stream.on('end', () => {
      // The COPY's row count arrives with CommandComplete, after the last byte: a trivial query queued behind it
      // returns once the COPY has fully finished.
      client.query('select 1').then(
        () => {
          if (settled) return;
          settled = true;
          client.release();
          resolve({ rows: stream.rowCount });
        },
        (e: Error) => fail(e),
      );
    });
  });
  // Callers that only pipe the stream still learn of failures from the stream itself; avoid an unhandled rejection.
  done.catch(() => undefined);
  return { stream, columns: select.columns, done };
}
