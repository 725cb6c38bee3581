/**
 * Bulk API 2.0 ingest jobs (CSV), with their state machine Open -> UploadComplete -> InProgress ->
 * JobComplete | Failed, or Aborted:
 *  - POST   /services/data/vXX.X/jobs/ingest  https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/create_job.htm
 *  - PUT    .../jobs/ingest/{id}/batches (text/csv, once per job)  https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/upload_job_data.htm
 *  - PATCH  .../jobs/ingest/{id} {state: UploadComplete | Aborted}  https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/close_job.htm
 *  - GET    .../jobs/ingest/{id}  https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/get_job_info.htm
 *  - GET    .../jobs/ingest/{id}/successfulResults/ ("sf__Id","sf__Created", then the uploaded columns)
 *    https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/get_job_successful_results.htm
 *  - GET    .../jobs/ingest/{id}/failedResults/ ("sf__Id","sf__Error" = "CODE:message:fields", then the columns)
 *    https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/get_job_failed_results.htm
 *  - GET    .../jobs/ingest/{id}/unprocessedrecords/  https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/get_job_unprocessed_results.htm
 *  - DELETE .../jobs/ingest/{id}  https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/delete_job.htm
 * A header naming a field the object lacks fails the whole job ("InvalidBatch : Field name not found").
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { opaqueId } from './ids.ts';
import type { SfContext } from './context.ts';
import { sfDateTime } from './store.ts';

type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
interface IngestJob {
  id: string;
  object: string;
  operation: 'insert' | 'upsert' | 'update';
  externalIdFieldName?: string;
  state: JobState;
  createdDate: number;
  systemModstamp: number;
  version: string;
  lineEnding: 'LF' | 'CRLF';
  csv?: string;
  columns: string[];
  /**
   * Each data row's outcome, in upload order: the saved record's id, or '' when it failed (its error in
   * `errors`). The results CSVs are built from these and the uploaded CSV when asked for: a job keeps one
   * string and two small arrays, not a parsed copy of every row (a bench run of 1,000,000 records keeps
   * 20 jobs, as an org keeps them for 7 days).
   */
  ids: string[];
  created: Uint8Array;
  errors: Map<number, string>;
  unprocessed: string[][];
  numberRecordsProcessed: number;
  numberRecordsFailed: number;
  errorMessage?: string;
  createdById: string;
}

export function registerBulkIngestRoutes(app: FastifyInstance, ctx: SfContext): { jobs: Map<string, IngestJob> } {
  const jobs = new Map<string, IngestJob>();
  let seq = 0;
  const info = (j: IngestJob) => ({
    id: j.id,
    operation: j.operation,
    object: j.object,
    createdById: j.createdById,
    createdDate: sfDateTime(j.createdDate),
    systemModstamp: sfDateTime(j.systemModstamp),
    state: j.state,
    ...(j.externalIdFieldName ? { externalIdFieldName: j.externalIdFieldName } : {}),
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(j.version.slice(1)),
    jobType: 'V2Ingest',
    contentUrl: `services/data/${j.version}/jobs/ingest/${j.id}/batches`,
    lineEnding: j.lineEnding,
    columnDelimiter: 'COMMA',
    numberRecordsProcessed: j.numberRecordsProcessed,
    numberRecordsFailed: j.numberRecordsFailed,
    retries: 0,
    totalProcessingTime: 0,
    apiActiveProcessingTime: 0,
    apexProcessingTime: 0,
    ...(j.errorMessage ? { errorMessage: j.errorMessage } : {}),
  });
  const find = (id: string, reply: FastifyReply): IngestJob | undefined => {
    const j = jobs.get(id);
    if (!j) ctx.error(reply, 404, 'NOT_FOUND', 'The requested resource does not exist');
    return j;
  };

  app.post('/services/data/:v/jobs/ingest', async (req, reply) => {
    if (!(await ctx.guard(req, reply))) return reply;
    const v = (req.params as { v: string }).v;
    const b = (req.body ?? {}) as Record<string, string>;
    const o = b.object ? ctx.store.object(b.object) : undefined;
    if (!o) return ctx.error(reply, 400, 'INVALIDENTITY', `Entity '${b.object ?? ''}' is not supported by the Bulk API.`);
    if (!['insert', 'upsert', 'update'].includes(b.operation)) return ctx.error(reply, 400, 'INVALIDJOB', `Invalid operation: ${b.operation ?? ''}`);
    if (b.operation === 'upsert') {
      const f = b.externalIdFieldName ? ctx.store.field(o, b.externalIdFieldName) : undefined;
      if (!f || !(f.externalId || f.name === 'Id')) return ctx.error(reply, 400, 'INVALIDJOB', `The external ID field '${b.externalIdFieldName ?? ''}' is not valid for ${o.name}`);
    }
    if (b.contentType && b.contentType !== 'CSV') return ctx.error(reply, 400, 'INVALIDJOB', 'contentType must be CSV');
    const now = Date.now();
    const j: IngestJob = {
      id: opaqueId('750', ++seq), object: o.name, operation: b.operation as IngestJob['operation'], externalIdFieldName: b.externalIdFieldName, state: 'Open', createdDate: now, systemModstamp: now, version: v,
      lineEnding: b.lineEnding === 'CRLF' ? 'CRLF' : 'LF', columns: [], ids: [], created: new Uint8Array(0), errors: new Map(), unprocessed: [], numberRecordsProcessed: 0, numberRecordsFailed: 0, createdById: ctx.store.records.get('User')!.values().next().value?.Id as string,
    };
    jobs.set(j.id, j);
    return reply.status(200).send(info(j));
  });

  app.put('/services/data/:v/jobs/ingest/:id/batches', async (req, reply) => {
    if (!(await ctx.guard(req, reply))) return reply;
    const j = find((req.params as { id: string }).id, reply);
    if (!j) return reply;
    if (!/text\/csv/i.test(String(req.headers['content-type'] ?? ''))) return ctx.error(reply, 400, 'INVALIDJOB', 'Content-Type must be text/csv');
    if (j.state !== 'Open' || j.csv !== undefined) return ctx.error(reply, 409, 'INVALIDJOBSTATE', `Job ${j.id} is not open for data upload (state ${j.state}; data can be uploaded once per job)`);
    j.csv = String(req.body ?? '');
    j.systemModstamp = Date.now();
    return reply.status(201).send();
  });

  const process = (j: IngestJob) => {
    j.state = 'InProgress';
    let rows: string[][];
    try {
      rows = parse(j.csv ?? '', { relax_column_count: false, skip_empty_lines: true, bom: true }) as string[][];
    } catch (e) {
      j.state = 'Failed';
      j.errorMessage = `InvalidBatch : ${(e as Error).message}`;
      return;
    }
    const [header, ...data] = rows;
    const o = ctx.store.object(j.object)!;
    const unknown = (header ?? []).find((h) => !ctx.store.field(o, h));
    if (!header || unknown) {
      j.state = 'Failed';
      j.errorMessage = unknown ? `InvalidBatch : Field name not found : ${unknown}` : 'InvalidBatch : no header row';
      j.unprocessed = data;
      j.columns = header ?? [];
      return;
    }
    j.columns = header;
    j.created = new Uint8Array(data.length);
    data.forEach((row, k) => {
      const rec = Object.fromEntries(header.map((h, c) => [h, row[c]]));
      const r = ctx.store.save(o.name, rec, j.operation === 'upsert' ? j.externalIdFieldName : undefined, { dryRun: ctx.discardIngest });
      j.numberRecordsProcessed++;
      j.ids.push(r.success ? r.id! : '');
      if (r.success) j.created[k] = r.created ? 1 : 0;
      else {
        j.numberRecordsFailed++;
        j.errors.set(k, r.errors.map((e) => `${e.statusCode}:${e.message}:${e.fields.join(',') || '--'}`).join(';'));
      }
    });
    j.state = 'JobComplete';
    j.systemModstamp = Date.now();
  };

  app.patch('/services/data/:v/jobs/ingest/:id', async (req, reply) => {
    if (!(await ctx.guard(req, reply))) return reply;
    const j = find((req.params as { id: string }).id, reply);
    if (!j) return reply;
    const state = ((req.body ?? {}) as { state?: string }).state;
    if (state === 'Aborted') {
      if (['JobComplete', 'Failed', 'Aborted'].includes(j.state)) return ctx.error(reply, 409, 'INVALIDJOBSTATE', `Job ${j.id} is ${j.state}`);
      j.state = 'Aborted';
      return info(j);
    }
    if (state !== 'UploadComplete') return ctx.error(reply, 400, 'INVALIDJOBSTATE', `Invalid state: ${state ?? ''}`);
    if (j.state !== 'Open') return ctx.error(reply, 409, 'INVALIDJOBSTATE', `Job ${j.id} is not Open (state ${j.state})`);
    j.state = 'UploadComplete';
    j.systemModstamp = Date.now();
    if (j.csv === undefined) {
      j.state = 'Failed';
      j.errorMessage = 'InvalidBatch : no data was uploaded';
      return info(j);
    }
    const answer = info(j);
    setTimeout(() => {
      if (j.state === 'UploadComplete') process(j);
    }, ctx.bulkProcessMs).unref();
    return answer;
  });

  app.get('/services/data/:v/jobs/ingest/:id', async (req, reply) => {
    if (!(await ctx.guard(req, reply))) return reply;
    const j = find((req.params as { id: string }).id, reply);
    return j ? info(j) : reply;
  });

  const dataRows = (j: IngestJob) => (parse(j.csv ?? '', { skip_empty_lines: true, bom: true }) as string[][]).slice(1);
  /** successfulResults: sf__Id, sf__Created, the row; failedResults: sf__Id (empty), sf__Error, the row. */
  const resultRows = (j: IngestJob, kind: 'success' | 'failed'): string[][] => {
    // Nothing to list: no parse of the upload (a failedResults of a job without failures is the usual ask).
    if (!j.ids.length || (kind === 'failed' ? j.errors.size === 0 : j.errors.size === j.ids.length)) return [];
    const out: string[][] = [];
    dataRows(j).forEach((row, k) => {
      const id = j.ids[k];
      if (kind === 'success' && id) out.push([id, j.created[k] ? 'true' : 'false', ...row]);
      if (kind === 'failed' && !id) out.push(['', j.errors.get(k) ?? '', ...row]);
    });
    return out;
  };
  const csvOf = (head: string[], rows: string[][], j: IngestJob) => stringify([head, ...rows], { quoted: true, record_delimiter: j.lineEnding === 'CRLF' ? 'windows' : 'unix' });
  for (const [suffix, kind] of [['successfulResults', 'success'], ['failedResults', 'failed'], ['unprocessedrecords', 'unprocessed']] as const) {
    const handler = async (req: import('fastify').FastifyRequest, reply: FastifyReply) => {
      if (!(await ctx.guard(req, reply))) return reply;
      const j = find((req.params as { id: string }).id, reply);
      if (!j) return reply;
      if (kind !== 'unprocessed' && !['JobComplete', 'Failed'].includes(j.state)) return ctx.error(reply, 409, 'INVALIDJOBSTATE', `Job ${j.id} is not complete (state ${j.state})`);
      const head = kind === 'success' ? ['sf__Id', 'sf__Created', ...j.columns] : kind === 'failed' ? ['sf__Id', 'sf__Error', ...j.columns] : j.columns;
      const rows = kind === 'unprocessed' ? (j.state === 'Aborted' ? dataRows(j) : j.unprocessed) : resultRows(j, kind);
      return reply.header('content-type', 'text/csv').send(head.length ? csvOf(head, rows, j) : '');
    };
    app.get(`/services/data/:v/jobs/ingest/:id/${suffix}`, handler);
    app.get(`/services/data/:v/jobs/ingest/:id/${suffix}/`, handler);
  }

  app.delete('/services/data/:v/jobs/ingest/:id', async (req, reply) => {
    if (!(await ctx.guard(req, reply))) return reply;
    const j = find((req.params as { id: string }).id, reply);
    if (!j) return reply;
    if (!['JobComplete', 'Failed', 'Aborted', 'Open'].includes(j.state)) return ctx.error(reply, 409, 'INVALIDJOBSTATE', `Job ${j.id} is ${j.state}`);
    jobs.delete(j.id);
    return reply.status(204).send();
  });
  return { jobs };
}
