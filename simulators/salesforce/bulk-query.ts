/**
 * Bulk API 2.0 query jobs:
 *  - POST .../jobs/query {operation: query, query}  https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_create_job.htm
 *  - GET  .../jobs/query/{id}  https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_one_job.htm
 *  - GET  .../jobs/query/{id}/results?locator=&maxRecords= (CSV; Sforce-Locator header, "null" on the last
 *    part; Sforce-NumberOfRecords)  https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_job_results.htm
 * Relationship fields are columns named by their path (Manager.Email); empty values are empty cells.
 */
import type { FastifyInstance } from 'fastify';
import { stringify } from 'csv-stringify/sync';
import { opaqueId } from './ids.ts';
import type { SfContext } from './context.ts';
import { parseSoql, runSoql, SoqlError, type SoqlQuery } from './soql.ts';
import { sfDateTime } from './store.ts';

interface QueryJob {
  id: string;
  query: SoqlQuery;
  state: 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
  rows: string[][];
  createdDate: number;
  version: string;
  errorMessage?: string;
}

function cell(rec: Record<string, unknown>, path: string): string {
  let cur: unknown = rec;
  for (const p of path.split('.')) {
    if (!cur || typeof cur !== 'object') return '';
    const key = Object.keys(cur as object).find((k) => k.toLowerCase() === p.toLowerCase());
    cur = key ? (cur as Record<string, unknown>)[key] : undefined;
  }
  return cur === null || cur === undefined ? '' : String(cur);
}

export function registerBulkQueryRoutes(app: FastifyInstance, ctx: SfContext): void {
  const jobs = new Map<string, QueryJob>();
  let seq = 0;
  const info = (j: QueryJob) => ({
    id: j.id, operation: 'query', object: j.query.from, createdById: ctx.store.all('User')[0]?.Id, createdDate: sfDateTime(j.createdDate), systemModstamp: sfDateTime(j.createdDate),
    state: j.state, concurrencyMode: 'Parallel', contentType: 'CSV', apiVersion: Number(j.version.slice(1)), jobType: 'V2Query', lineEnding: 'LF', columnDelimiter: 'COMMA',
    numberRecordsProcessed: j.state === 'JobComplete' ? j.rows.length : 0, retries: 0, totalProcessingTime: 0, ...(j.errorMessage ? { errorMessage: j.errorMessage } : {}),
  });

  app.post('/services/data/:v/jobs/query', async (req, reply) => {
    if (!(await ctx.guard(req, reply))) return reply;
    const v = (req.params as { v: string }).v;
    const b = (req.body ?? {}) as { operation?: string; query?: string };
    if (b.operation !== 'query' && b.operation !== 'queryAll') return ctx.error(reply, 400, 'INVALIDJOB', `Invalid operation: ${b.operation ?? ''}`);
    let query: SoqlQuery;
    let rows: Record<string, unknown>[];
    try {
      query = parseSoql(b.query ?? '');
      // Bulk API 2.0 queries take no aggregate functions nor GROUP BY:
      // https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/queries.htm
      if (query.groupBy.length || query.counts.length) return ctx.error(reply, 400, 'INVALIDJOB', 'Aggregate Relationships not supported in Bulk Query');
      rows = runSoql(ctx.store, query, v);
    } catch (e) {
      if (e instanceof SoqlError) return ctx.error(reply, 400, e.errorCode === 'INVALID_FIELD' ? 'INVALIDJOB' : e.errorCode, e.message);
      throw e;
    }
    const j: QueryJob = { id: opaqueId('750', 500_000 + ++seq), query, state: 'UploadComplete', rows: rows.map((r) => query.fields.map((f) => cell(r, f))), createdDate: Date.now(), version: v };
    jobs.set(j.id, j);
    setTimeout(() => {
      if (j.state === 'UploadComplete') j.state = 'JobComplete';
    }, ctx.bulkProcessMs).unref();
    return info(j);
  });

  app.get('/services/data/:v/jobs/query/:id', async (req, reply) => {
    if (!(await ctx.guard(req, reply))) return reply;
    const j = jobs.get((req.params as { id: string }).id);
    return j ? info(j) : ctx.error(reply, 404, 'NOT_FOUND', 'The requested resource does not exist');
  });

  app.get('/services/data/:v/jobs/query/:id/results', async (req, reply) => {
    if (!(await ctx.guard(req, reply))) return reply;
    const j = jobs.get((req.params as { id: string }).id);
    if (!j) return ctx.error(reply, 404, 'NOT_FOUND', 'The requested resource does not exist');
    if (j.state !== 'JobComplete') return ctx.error(reply, 400, 'INVALIDJOBSTATE', `Job ${j.id} is not complete (state ${j.state})`);
    const q = req.query as { locator?: string; maxRecords?: string };
    const from = q.locator ? Number(Buffer.from(q.locator, 'base64url').toString()) : 0;
    if (!Number.isInteger(from) || from < 0) return ctx.error(reply, 400, 'INVALID_QUERY_LOCATOR', 'invalid locator');
    const max = Math.max(1, Number(q.maxRecords ?? 0) || ctx.queryPageSize * 5);
    const part = j.rows.slice(from, from + max);
    const next = from + max < j.rows.length ? Buffer.from(String(from + max)).toString('base64url') : 'null';
    return reply.header('content-type', 'text/csv').header('sforce-locator', next).header('sforce-numberofrecords', String(part.length)).send(stringify([j.query.fields, ...part], { quoted: true }));
  });
}
