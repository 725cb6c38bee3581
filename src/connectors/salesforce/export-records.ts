/**
 * Writes one kind of learning record (record-kinds.ts) into its custom object: the report's rows of the run's
 * window, linked to the learner's User or Contact, upserted on the external id field. Up to `bulkThreshold`
 * records go through sObject Collections; more through Bulk API 2.0 jobs (up to MAX_JOBS side by side, their
 * results read in order). Each record Salesforce refuses is a reject naming its key, Salesforce's error code
 * and message, and the learner.
 */
import type { ReportRowsOptions, RunContext } from '../../kit/run-context.ts';
import { describeObject } from './client.ts';
import type { LearnerLinks } from './learner-links.ts';
import { jsonValue, planFields, type RecordKind } from './record-kinds.ts';
import { bulkCsvHeader, bulkCsvRows, upsertBulkCsv, upsertCollections, type SfRecord, type WriteOutcome } from './record-writers.ts';

/** Bulk API jobs of one run in flight at once (Salesforce runs an org's jobs in parallel). */
const MAX_JOBS = 3;

export interface ExportTarget {
  object: string;
  externalIdField: string;
  linkField: string;
  fields: Record<string, string | null>;
  /** The option path that names this object (for errors: "userReport.object"). */
  option?: string;
}

export interface ExportLimits {
  bulkThreshold: number;
  bulkJobRecords: number;
  status?: ReportRowsOptions['status'];
}

/** Writes the kind's rows; returns what was read, created and updated (refused records are rejects). */
export async function exportKind(rc: RunContext<any, any>, kind: RecordKind, target: ExportTarget, links: LearnerLinks, limits: ExportLimits): Promise<{ read: number; created: number; updated: number; bulk: boolean }> {
  const http = rc.http();
  const d = await describeObject(http, target.object);
  const { plan, ext, link, name } = planFields(d, { ...target, defaults: kind.defaults });
  const columns = [...new Set([ext.name, ...(name ? [name.name] : []), link.name, ...plan.map((p) => p.field.name)])];
  const total = { read: 0, created: 0, updated: 0, bulk: false };

  /** Counts a written chunk and puts the records Salesforce refused in the error report. */
  const account = async (out: WriteOutcome, about: Map<string, string>) => {
    total.created += out.created;
    total.updated += out.updated;
    rc.count('created', out.created);
    rc.count('updated', out.updated);
    for (const f of out.failed) await rc.reject({ source: 'Salesforce', recordId: f.key, ...(f.fields.length ? { field: f.fields.join(', ') } : {}), reason: `${f.code}: ${f.message}${about.has(f.key) ? ` (${about.get(f.key)})` : ''}` });
    rc.progress(total.read, undefined, `exporting the ${kind.label}`);
  };
  const jobs: Array<Promise<void>> = [];

  /** Links rows to their learners and makes their records; rejects the rows that cannot be written. */
  const toRecords = async (rows: Array<Record<string, string>>) => {
    await links.resolve(rows.map((r) => ({ email: r['Email'] ?? '', name: r['Name'] ?? '' })));
    const records: SfRecord[] = [];
    const about = new Map<string, string>();
    for (const row of rows) {
      const key = kind.key(rc.accountId, row);
      const learner = kind.about(row);
      const linked = links.get(row['Email'] ?? '');
      if (!linked) {
        const why = links.failures.get((row['Email'] ?? '').toLowerCase());
        await rc.reject({ source: 'Salesforce', recordId: key, field: link.name, reason: why ? `the learner's Contact could not be created: ${why} (${learner})` : `no active Salesforce ${links.object} has the learner's e-mail (${learner})` });
        continue;
      }
      const rec: SfRecord = { [ext.name]: key, [link.name]: linked };
      if (name) rec[name.name] = kind.name(row).slice(0, 80);
      for (const p of plan) rec[p.field.name] = jsonValue(p.field, row[p.column]);
      records.push(rec);
      about.set(key, learner);
    }
    return { records, about };
  };

  /**
   * The Bulk API job being filled: its upload as CSV text, built batch by batch as the report's rows arrive
   * (a chunk of 50,000 rows once held its rows, their records and then the whole text at the same time).
   */
  const fresh = () => ({ parts: [] as string[], about: new Map<string, string>(), rows: 0, records: 0 });
  let chunk = fresh();

  /** Sends the chunk as one job; its results are accounted in job order, up to MAX_JOBS in flight. */
  const flush = async () => {
    const c = chunk;
    chunk = fresh();
    if (!c.records) return;
    const upload = Buffer.from(bulkCsvHeader(columns) + c.parts.join(''));
    c.parts.length = 0;
    const job = upsertBulkCsv(http, target.object, ext.name, upload, { pollMs: 250, timeoutMs: 30 * 60_000, signal: rc.signal, onState: (j) => rc.log('info', `Bulk API job ${j.id}: ${j.state}`, { jobId: j.id, state: j.state, processed: j.numberRecordsProcessed, failed: j.numberRecordsFailed, object: target.object }) });
    const previous = jobs[jobs.length - 1] ?? Promise.resolve();
    // Results are accounted in job order; a failed job fails the run once the earlier ones are counted.
    const counted = previous.then(async () => account(await job, c.about));
    // Handled here so that a failure is not "unhandled" before the run awaits it.
    counted.catch(() => undefined);
    job.catch(() => undefined);
    jobs.push(counted);
    if (jobs.length >= MAX_JOBS) await jobs[jobs.length - MAX_JOBS];
  };

  /** Adds rows to the chunk (a job holds `bulkJobRecords` rows of the report, refused ones included). */
  const addBulk = async (rows: Array<Record<string, string>>) => {
    for (let i = 0; i < rows.length; ) {
      const part = rows.slice(i, i + (limits.bulkJobRecords - chunk.rows));
      i += part.length;
      const { records, about } = await toRecords(part);
      chunk.rows += part.length;
      chunk.records += records.length;
      for (const [k, v] of about) chunk.about.set(k, v);
      if (records.length) chunk.parts.push(bulkCsvRows(columns, records));
      if (chunk.rows >= limits.bulkJobRecords) await flush();
    }
  };

  let pending: Array<Record<string, string>> = [];
  // The report rows of the run's window through the platform's port (the same rows a CSV export writes).
  for await (const batch of rc.platform.reportRows(kind.report, { ...(limits.status ? { status: limits.status } : {}), batchSize: 2000 })) {
    total.read += batch.length;
    if (total.bulk) {
      await addBulk(batch);
      continue;
    }
    pending.push(...batch);
    if (pending.length > limits.bulkThreshold) {
      total.bulk = true;
      rc.log('info', `${kind.label}: more than ${limits.bulkThreshold} records, writing through Bulk API 2.0 jobs`);
      const rows = pending;
      pending = [];
      await addBulk(rows);
    }
  }
  if (total.bulk) await flush();
  else if (pending.length) {
    const { records, about } = await toRecords(pending);
    if (records.length) await account(await upsertCollections(http, target.object, ext.name, records), about);
  }
  await Promise.all(jobs);
  return total;
}
