/**
 * Writes learning records to a custom object by upsert on its external id field, with a result per record:
 *  - small batches: sObject Collections upsert, 200 records per call
 *    https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_upsert.htm
 *  - volume: Bulk API 2.0 ingest jobs (CSV upload, UploadComplete, polling the job's state, then the
 *    successfulResults / failedResults CSVs)
 *    https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/walkthrough_upload_data.htm
 *    https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/get_job_failed_results.htm
 */
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import type { Readable } from 'node:stream';
import type { HttpClient } from '../../kit/http/index.ts';
import { sleep } from '../../kit/http/index.ts';
import { SalesforceErrors } from './errors.ts';

export type SfRecord = Record<string, string | number | boolean | null>;

/** What a batch gave: created/updated counts and each failed record's key, error code, message and fields. */
export interface WriteOutcome {
  created: number;
  updated: number;
  failed: Array<{ key: string; code: string; message: string; fields: string[] }>;
}

export async function upsertCollections(http: HttpClient, object: string, externalIdField: string, records: SfRecord[]): Promise<WriteOutcome> {
  const out: WriteOutcome = { created: 0, updated: 0, failed: [] };
  for (let i = 0; i < records.length; i += 200) {
    const part = records.slice(i, i + 200);
    const res = await http.request<Array<{ id: string | null; success: boolean; created?: boolean; errors: Array<{ statusCode: string; message: string; fields?: string[] }> }>>({
      method: 'PATCH',
      path: `/composite/sobjects/${encodeURIComponent(object)}/${encodeURIComponent(externalIdField)}`,
      json: { allOrNone: false, records: part.map((r) => ({ attributes: { type: object }, ...r })) },
      // An upsert by external id gives the same result when sent twice.
      idempotent: true,
    });
    res.data.forEach((r, k) => {
      if (r.success) r.created ? out.created++ : out.updated++;
      else {
        const e = r.errors[0] ?? { statusCode: 'UNKNOWN', message: 'Salesforce gave no reason' };
        out.failed.push({ key: String(part[k][externalIdField]), code: e.statusCode, message: r.errors.map((x) => x.message).join('; '), fields: e.fields ?? [] });
      }
    });
  }
  return out;
}

interface JobInfo {
  id: string;
  state: 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
  numberRecordsProcessed?: number;
  numberRecordsFailed?: number;
  errorMessage?: string;
}

export interface BulkOptions {
  /** First wait between two looks at the job; grows by half up to 5 s. */
  pollMs: number;
  timeoutMs: number;
  signal?: AbortSignal;
  onState?(job: JobInfo): void;
}

/** Bulk API "CODE:message:fields" (fields "--" when none) as parts. */
export function parseBulkError(text: string): { code: string; message: string; fields: string[] } {
  const first = text.split(';')[0] ?? '';
  const i = first.indexOf(':');
  const j = first.lastIndexOf(':');
  if (i < 0) return { code: 'UNKNOWN', message: text, fields: [] };
  const code = first.slice(0, i);
  const message = j > i ? first.slice(i + 1, j) : first.slice(i + 1);
  const fields = j > i ? first.slice(j + 1).split(',').filter((f) => f && f !== '--') : [];
  return { code, message, fields };
}

/**
 * One Bulk API 2.0 upsert job for `records` (CSV; null values as #N/A, which clears the field, as a re-export
 * of a changed enrollment must): create, upload once, UploadComplete, wait for JobComplete, read the results.
 */
export async function upsertBulk(http: HttpClient, object: string, externalIdField: string, columns: string[], records: SfRecord[], o: BulkOptions): Promise<WriteOutcome> {
  return upsertBulkCsv(http, object, externalIdField, Buffer.from(bulkCsvHeader(columns) + bulkCsvRows(columns, records)), o);
}

/** The upload's header line. */
export const bulkCsvHeader = (columns: string[]): string => stringify([columns]);

/** Records as upload lines (each ends with LF: parts of one upload can be joined). */
export const bulkCsvRows = (columns: string[], records: SfRecord[]): string => stringify(records.map((r) => columns.map((c) => (r[c] === null || r[c] === undefined ? '#N/A' : String(r[c])))));

/** upsertBulk with the upload already built (header and rows, UTF-8). */
export async function upsertBulkCsv(http: HttpClient, object: string, externalIdField: string, upload: Uint8Array, o: BulkOptions): Promise<WriteOutcome> {
  // The upload is let go once sent: a run keeps up to three jobs in flight, which then hold only their ids
  // while Salesforce processes them.
  let csv: Uint8Array | null = upload;
  const job = await http.post<JobInfo>('/jobs/ingest', { object, operation: 'upsert', externalIdFieldName: externalIdField, contentType: 'CSV', lineEnding: 'LF', columnDelimiter: 'COMMA' });
  await http.request({ method: 'PUT', path: `/jobs/ingest/${job.id}/batches`, body: csv, headers: { 'content-type': 'text/csv' } });
  csv = null;
  await http.request({ method: 'PATCH', path: `/jobs/ingest/${job.id}`, json: { state: 'UploadComplete' } });
  const deadline = Date.now() + o.timeoutMs;
  let wait = o.pollMs;
  let info: JobInfo;
  for (;;) {
    await sleep(wait, o.signal);
    info = await http.get<JobInfo>(`/jobs/ingest/${job.id}`);
    o.onState?.(info);
    if (info.state === 'JobComplete') break;
    if (info.state === 'Failed' || info.state === 'Aborted') throw SalesforceErrors.BULK_JOB_FAILED.create({ detail: `job ${job.id} ${info.state}: ${info.errorMessage ?? 'no reason given'}`, data: { jobId: job.id } });
    if (Date.now() > deadline) throw SalesforceErrors.BULK_JOB_TIMEOUT.create({ detail: `job ${job.id} is still ${info.state}`, data: { jobId: job.id } });
    wait = Math.min(Math.round(wait * 1.5), 5_000);
  }
  const out: WriteOutcome = { created: 0, updated: 0, failed: [] };
  for await (const r of csvRows(http, `/jobs/ingest/${job.id}/successfulResults/`, ['sf__Created'])) r[0] === 'true' ? out.created++ : out.updated++;
  for await (const [key, error] of csvRows(http, `/jobs/ingest/${job.id}/failedResults/`, [externalIdField, 'sf__Error'])) out.failed.push({ key: key ?? '', ...parseBulkError(error ?? '') });
  return out;
}

/**
 * The named columns of a results CSV, row by row. A results CSV repeats every uploaded column of every
 * record (50,000 rows of about 20 columns a job): rows are parsed as arrays and only the wanted cells kept,
 * because building an object per row was the export's largest CPU cost (bench:salesforce profile).
 */
async function* csvRows(http: HttpClient, path: string, wanted: string[]): AsyncGenerator<Array<string | undefined>> {
  const res = await http.request<Readable>({ method: 'GET', path, responseType: 'stream', headers: { accept: 'text/csv' } });
  let at: number[] | undefined;
  for await (const row of res.data.pipe(parse({ bom: true, relax_column_count: true })) as AsyncIterable<string[]>) {
    if (!at) {
      at = wanted.map((w) => row.indexOf(w));
      continue;
    }
    yield at.map((k) => (k < 0 ? undefined : row[k]));
  }
}
