/**
 * Reads a SOQL query through Bulk API 2.0 (for millions of records: one job, results in CSV parts) instead of
 * REST queryMore:
 *  - create: https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_create_job.htm
 *  - state: https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_one_job.htm
 *  - results (Sforce-Locator, "null" after the last part; relationship columns named by path, e.g.
 *    ReportsTo.Email; empty cells for empty values):
 *    https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_job_results.htm
 */
import { parse } from 'csv-parse';
import type { Readable } from 'node:stream';
import type { HttpClient } from '../../kit/http/index.ts';
import { sleep } from '../../kit/http/index.ts';
import { SalesforceErrors } from './errors.ts';

interface QueryJob {
  id: string;
  state: 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
  errorMessage?: string;
}

export async function* bulkQuery(http: HttpClient, soql: string, o: { pollMs: number; timeoutMs: number; partRecords: number; signal?: AbortSignal }): AsyncGenerator<Record<string, string | null>> {
  const job = await http.post<QueryJob>('/jobs/query', { operation: 'query', query: soql, contentType: 'CSV', columnDelimiter: 'COMMA', lineEnding: 'LF' });
  const deadline = Date.now() + o.timeoutMs;
  let wait = o.pollMs;
  for (;;) {
    await sleep(wait, o.signal);
    const info = await http.get<QueryJob>(`/jobs/query/${job.id}`);
    if (info.state === 'JobComplete') break;
    if (info.state === 'Failed' || info.state === 'Aborted') throw SalesforceErrors.BULK_JOB_FAILED.create({ detail: `query job ${job.id} ${info.state}: ${info.errorMessage ?? 'no reason given'}`, data: { jobId: job.id } });
    if (Date.now() > deadline) throw SalesforceErrors.BULK_JOB_TIMEOUT.create({ detail: `query job ${job.id} is still ${info.state}`, data: { jobId: job.id } });
    wait = Math.min(wait * 2, 10_000);
  }
  let locator: string | undefined;
  do {
    const res = await http.request<Readable>({ method: 'GET', path: `/jobs/query/${job.id}/results`, query: { maxRecords: o.partRecords, ...(locator ? { locator } : {}) }, responseType: 'stream', headers: { accept: 'text/csv' } });
    const next = res.headers.get('sforce-locator');
    for await (const row of res.data.pipe(parse({ columns: true, bom: true })) as AsyncIterable<Record<string, string>>) {
      const out: Record<string, string | null> = {};
      for (const [k, v] of Object.entries(row)) out[k] = v === '' ? null : v;
      yield out;
    }
    locator = next && next !== 'null' ? next : undefined;
  } while (locator);
}
