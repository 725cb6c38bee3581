import type { Readable } from 'node:stream';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema/index.ts';
import { listActiveFields } from '../fields/active-fields.ts';
import { applyPlan } from './apply-changes.ts';
import { changeSetStream } from './change-set.ts';
import { EmailKeys } from './email-filter.ts';
import { UserImportErrors } from './errors.ts';
import { validateMapping, type UserImportOptions } from './import-options.ts';
import { ABSENT, findAbsentUsers } from './absent-users.ts';
import { rejectAdminTakeovers } from './admin-guard.ts';
import { rejectManagerCycles } from './manager-cycles.ts';
import { buildPlan, planMode } from './plan-changes.ts';
import { rememberSourceIds, uuidChangesSql } from './source-ids.ts';
import type { StagingSource } from './staging-source.ts';
import { createStaging, resolveManagerIds } from './staging.ts';
import { applyHierarchyFilter, finishRows, litOf, Passes, rejectDuplicates, rejectUnknownManagers, ROWS } from './validate-rows.ts';

/** How many of the users an import would suspend or delete a run waiting for approval names (the change set has them all). */
export const APPROVAL_LIST_SIZE = 20;

/** What the import needs from its caller (a pipeline action adapts a RunContext to this). */
export interface UserImportIo {
  accountId: number;
  /** The connection (data source) that will own the imported users. */
  connectionId: number;
  options: UserImportOptions;
  dryRun: boolean;
  approved: boolean;
  signal?: AbortSignal;
  /** Where the users come from (src/pipelines/import-users: csvSource, recordSource): opened once the mapping is checked. */
  source: StagingSource;
  reject(r: { source: string; line?: number; recordId?: string; field?: string; reason: string }): Promise<void>;
  count(kind: 'read' | 'created' | 'updated' | 'unchanged' | 'skipped' | 'suspended' | 'deleted', n: number): void;
  progress?(done: number, total?: number, phase?: string): void;
  log?(level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>): void;
  /** Dry run: receives the change set CSV (consume it before returning). */
  changeSet?(csv: Readable): Promise<void>;
  /** Throws to stop the run in "needs approval" (rolls the transaction back). */
  requireApproval(reason: string, summary: Record<string, unknown>): void;
}

export interface UserImportResult {
  read: number;
  skipped: number;
  rejected: number;
  created: number;
  updated: number;
  unchanged: number;
  suspended: number;
  deleted: number;
  /** The column names the source holds (all files, first spelling of each). */
  sourceColumns?: string[];
  fieldsDeleted: string[];
  /** false for a dry run */
  applied: boolean;
}

class DryRunDone extends Error {}

/** The change set's UUID lines (source-ids.ts uuidChangesSql) of a source whose record id is the HR UUID. */
function uuidsOf(source: { byRecordId: boolean; recordIdIsUuid?: boolean }, accountId: number): string | undefined {
  return source.byRecordId && source.recordIdIsUuid ? uuidChangesSql(accountId) : undefined;
}

/** A Kysely bound to one checked-out client, so platform services share the import's transaction. */
function kyselyOn(client: pg.Client): Kysely<DB> {
  const shared = { query: client.query.bind(client), release: () => undefined };
  const pool = { connect: async () => shared, end: async () => undefined };
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) });
}

/**
 * Imports users from a staging source (CSV files, a vendor's records: src/pipelines/import-users), set-based,
 * in ONE transaction (a crash or kill leaves nothing changed): the source is opened first (a file lacking a
 * mapped column fails the run before anything is read), then fills a temporary staging table of normalized
 * rows (staging.ts, staging-source.ts), then SQL: value and hierarchy filters, rejects
 * (bad or missing values, duplicates naming both places, unknown managers, manager cycles), the plan
 * (create / update / unchanged), absent users, the approval threshold, and either the change set (dry
 * run, rolled back) or the apply with the automatic groups synced. Memory does not depend on file size.
 *
 * @example await runUserImport(ctx, { accountId, connectionId, options, source: csvSource(files), ... })
 */
export async function runUserImport(deps: { db: Database; dbUrl: string }, io: UserImportIo): Promise<UserImportResult> {
  const { accountId: A, connectionId: C, options } = io;
  const fields = await listActiveFields(deps.db, A);
  if (!options.mapping) throw UserImportErrors.MAPPING_REQUIRED.create();
  const { shape, problems } = validateMapping(options, fields, 'run');
  if (!shape) throw UserImportErrors.MAPPING_INVALID.create({ detail: problems.join('; '), data: { problems } });
  const result: UserImportResult = { read: 0, skipped: 0, rejected: 0, created: 0, updated: 0, unchanged: 0, suspended: 0, deleted: 0, fieldsDeleted: [], applied: false };
  // The source is opened once the mapping says which of its columns are needed (headers checked, a vendor read started).
  const source = await io.source.open(shape.requiredColumns);
  if (source.empty) {
    io.log?.('info', source.empty);
    return result;
  }
  if (shape.unmapped.length) io.log?.('warn', `not imported until the mapping names ${shape.unmapped.length > 1 ? 'them' : 'it'}: the active field${shape.unmapped.length > 1 ? 's' : ''} ${shape.unmapped.map((n) => `"${n}"`).join(', ')} (values kept)`, { unmapped: shape.unmapped });
  if (source.columns) result.sourceColumns = source.columns;
  const checkCancel = () => {
    if (io.signal?.aborted) throw UserImportErrors.CANCELLED.create();
  };

  // Phase durations, logged at the end: where an import spends its time (see bench/import.ts).
  const phases: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    phases[name] = Math.round(now - t);
    t = now;
  };
  // A connection of its own: the staging and plan tables are temporary tables, which live in the session's
  // local buffers (temp_buffers, 8 MB by default, settable only before a session's first temporary table);
  // with more of them a million-row plan stays in memory instead of going through the disk.
  const client = new pg.Client({ connectionString: deps.dbUrl, application_name: 'lmc-user-import', options: '-c temp_buffers=512MB' });
  await client.connect();
  client.on('error', () => undefined); // a dead server fails the pending query; nothing else to do here
  const kdb = kyselyOn(client);
  await explainInto(client, process.env.LMC_IMPORT_EXPLAIN);
  try {
    await kdb.transaction().execute(async (trx) => {
      await client.query(`select pg_advisory_xact_lock(7310003, ${Number(A)}::int)`);
      await client.query(`set local work_mem = '256MB'`);
      // No JIT: the planner's estimate for a recursive walk is far off (10 million rows for 20,000), which set
      // off JIT compiling (0.4-1 s per statement) on servers built with LLVM (Debian's) and not on the embedded
      // one (built without): the import's speed should not depend on how the server was built.
      await client.query(`set local jit = off`);
      await createStaging(client, shape);
      const mode = await planMode(client, A, !!io.dryRun);
      const keys = new EmailKeys();
      // ASCII letters folded in Node must give what the database's lower() gives (not so in Turkish locales).
      const fold = await client.query<{ ok: boolean }>(`select lower('ABCDEFGHIJKLMNOPQRSTUVWXYZ') = 'abcdefghijklmnopqrstuvwxyz' as ok`);
      if (!fold.rows[0].ok) keys.needsDatabaseLower = true;
      checkCancel();
      const staged = await source.fill(client, { shape, filters: options.filters, keys, docs: mode.stagedDocs, signal: io.signal, progress: io.progress, log: io.log });
      result.read = staged.read;
      io.count('read', result.read);
      mode.managerKeys = keys.managers;
      if (staged.managersById) {
        await resolveManagerIds(client, C);
        // Managers given by id were filled in after the row writers collected the manager keys.
        mode.managerKeys = null;
      }
      lap('copy');
      checkCancel();
      // The checks after reading, as numbered steps: the bar moves through them rather than sitting at 0.
      const step = (n: number, what: string) => io.progress?.(n, 5, `checking ${result.read.toLocaleString('en')} rows: ${what}`);
      step(0, 'addresses and values');
      await finishRows(client, keys.needsDatabaseLower);
      lap('finish rows');
      step(1, 'filters and duplicates');
      await applyHierarchyFilter(client, options.filters.managers);
      // The row writers saw every key: when none can appear twice, the search for duplicates is skipped.
      if (keys.mayHaveDuplicates || keys.needsDatabaseLower) await rejectDuplicates(client, source.placeSql(litOf(client)));
      // Before the plan: a rejected administrator's row is not planned, and rows under it link to the user as is.
      await rejectAdminTakeovers(client, A, C, keys);
      lap('filters+duplicates');
      const passes = new Passes();
      step(2, 'planning the changes');
      let plan = await buildPlan(client, shape, A, C, mode);
      lap('plan');
      // An unknown manager shows as a manager key that resolved to no one. Only then is the manager check run
      // (over every row: it also rejects the rows under a rejected one), and the plan built again.
      step(3, 'managers');
      if (plan.dangling && (await rejectUnknownManagers(client, A, 0, passes)) > 0) plan = await buildPlan(client, shape, A, C, plan.mode);
      lap('managers');
      ({ plan } = await rejectManagerCycles(client, shape, A, C, passes, plan));
      lap('cycles');
      step(4, `users missing from ${source.absentFrom}`);
      // A delta read says who was removed; a full read (files, or a vendor's complete read) is everyone in scope.
      const scope = source.complete ? 'absent' : 'removed';
      const absent = await findAbsentUsers(client, A, C, options.absentUsers, scope);
      if (absent.adminsKept.length) {
        const n = absent.adminsKept.length;
        io.log?.('warn', `${n} administrator${n > 1 ? 's' : ''} ${scope === 'removed' ? 'removed at the source' : `absent from ${source.absentFrom}`} ${n > 1 ? 'were' : 'was'} not ${options.absentUsers === 'delete' ? 'deleted' : 'suspended'} (an import never suspends or deletes an administrator): ${absent.adminsKept.slice(0, 20).join(', ')}${n > 20 ? ', ...' : ''}`, { adminsKept: absent.adminsKept.slice(0, 1000) });
      }
      checkCancel();

      // One pass counts the rows the filters skipped and those rejected (the error report is written only then),
      // and the valid ones: a direct import creates each.
      const left = await client.query<{ skipped: number; rejected: number; valid: number }>(
        `select count(*) filter (where not included)::int as skipped, count(*) filter (where included and reason is not null)::int as rejected,
          count(*) filter (where included and reason is null)::int as valid from ${ROWS}`,
      );
      if (plan.mode.direct) plan.create = left.rows[0].valid;
      else if (!plan.mode.complete) plan.unchanged = left.rows[0].valid - plan.create - plan.update;
      Object.assign(result, { created: plan.create, updated: plan.update, unchanged: plan.unchanged });
      result.skipped = left.rows[0].skipped;
      if (absent.absent > 0 && absent.owned > 0 && absent.absent / absent.owned > options.approvalThreshold && !io.approved) {
        const reason = `this import would ${options.absentUsers} ${absent.absent} of the ${absent.owned} users of this data source (more than ${Math.round(options.approvalThreshold * 100)}%)`;
        // Whoever approves sees whom it touches: the first users by email here, all of them in the change set.
        const first = await client.query<{ email: string }>(`select email from ${ABSENT} order by lower(email) limit ${APPROVAL_LIST_SIZE}`);
        const summary = { action: options.absentUsers, users: absent.absent, owned: absent.owned, threshold: options.approvalThreshold, created: result.created, updated: result.updated, affected: first.rows.map((r) => r.email) };
        // A dry run changes nothing: it shows the change set and says the real run will wait for approval.
        if (io.dryRun) io.log?.('warn', `the real run will need approval: ${reason}`, summary);
        else {
          if (io.changeSet) await io.changeSet(changeSetStream(client, shape, options.absentUsers, C, uuidsOf(source, A)));
          io.requireApproval(reason, summary);
        }
      }
      lap('absent+counts');
      if (left.rows[0].rejected > 0) result.rejected = await reportRejects(client, io, source.place);
      lap('rejects');
      if (result.skipped) io.count('skipped', result.skipped);

      if (io.dryRun) {
        if (io.changeSet) await io.changeSet(changeSetStream(client, shape, options.absentUsers, C, uuidsOf(source, A)));
        if (options.absentUsers === 'suspend') result.suspended = absent.absent;
        if (options.absentUsers === 'delete') result.deleted = absent.absent;
        for (const k of ['created', 'updated', 'unchanged', 'suspended', 'deleted'] as const) if (result[k]) io.count(k, result[k]);
        throw new DryRunDone();
      }
      io.progress?.(0, undefined, 'applying');
      const applied = await applyPlan(client, trx, shape, A, C, options.absentUsers, plan, lap, source.byRecordId && !!source.recordIdIsUuid);
      Object.assign(result, { created: applied.created, updated: applied.updated, suspended: applied.suspended, deleted: applied.deleted, fieldsDeleted: applied.fieldsDeleted });
      // Still in the transaction: the record ids, and for a source whose record id is the HR UUID the users'
      // UUIDs, are committed with the users' changes or not at all.
      if (source.byRecordId) {
        const uuids = await rememberSourceIds(client, A, C, { recordIdIsUuid: source.recordIdIsUuid });
        if (uuids) io.log?.('info', `${uuids} user${uuids > 1 ? 's' : ''} got their record id as their UUID`, { uuids });
        lap('source ids');
      }
      checkCancel();
    });
    lap('commit');
    result.applied = true;
    for (const k of ['created', 'updated', 'unchanged', 'suspended', 'deleted'] as const) if (result[k]) io.count(k, result[k]);
    io.log?.('info', 'users imported', { ...result, phasesMs: phases });
  } catch (e) {
    if (!(e instanceof DryRunDone)) throw e;
    io.log?.('info', 'dry run: nothing was changed', { ...result, phasesMs: phases });
  } finally {
    await client.end().catch(() => undefined);
  }
  return result;
}

/**
 * Profiling aid: with LMC_IMPORT_EXPLAIN=<file> (and a superuser connection) the plan of every statement of
 * the import slower than 100 ms is appended to that file with its actual timings (auto_explain).
 */
async function explainInto(client: pg.Client, file: string | undefined): Promise<void> {
  if (!file) return;
  const fs = await import('node:fs');
  await client.query(`load 'auto_explain'`);
  await client.query(`set auto_explain.log_min_duration = 100; set auto_explain.log_analyze = on; set auto_explain.log_nested_statements = on; set client_min_messages = log`);
  client.on('notice', (n) => fs.appendFileSync(file, `${n.message}\n\n`));
}

/** Sends every rejected row to the error report, in file and line order, a page at a time. */
async function reportRejects(client: pg.ClientBase, io: UserImportIo, place: (fileNo: number, line: number) => { source: string; line?: number; recordId?: string }): Promise<number> {
  await client.query(`
    create temp table lmc_ui_rejects on commit drop as
    select row_number() over (order by file_no, line) as n, file_no, line, email, reason_field, reason
    from ${ROWS} where included and reason is not null`);
  await client.query(`create index on lmc_ui_rejects (n)`);
  let last = 0;
  let total = 0;
  for (;;) {
    const page = await client.query<{ n: number; file_no: number; line: number; email: string | null; reason_field: string | null; reason: string }>(
      `select n, file_no, line, email, reason_field, reason from lmc_ui_rejects where n > ${last} order by n limit 1000`,
    );
    if (page.rows.length === 0) return total;
    for (const r of page.rows) {
      const at = place(r.file_no, r.line);
      const recordId = at.recordId ?? r.email ?? undefined;
      await io.reject({ source: at.source, ...(at.line !== undefined ? { line: at.line } : {}), ...(recordId ? { recordId } : {}), ...(r.reason_field ? { field: r.reason_field } : {}), reason: r.reason });
      total++;
    }
    last = Number(page.rows[page.rows.length - 1].n);
  }
}
