import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { neutraliseFormula } from '../shared/csv-formula.ts';
import { sql } from 'kysely';
import type pg from 'pg';
import type { AppContext } from '../app-context.ts';
import type { RunCounts, RunStatus, RunTrigger } from '../db/schema/engine.ts';
import { getActionOptions } from './action-settings.ts';
import { bossFor } from './boss-client.ts';
import { openConnection, type Actor } from './connections.ts';
import { ConnectionErrors, ConnectorErrors, RunErrors } from './errors.ts';
import { sendRunJob } from './queue.ts';
import { readRunFile } from './run-files.ts';

export const FINAL_STATUSES: RunStatus[] = ['completed', 'completed_with_errors', 'failed', 'cancelled'];
export const ZERO_COUNTS: RunCounts = { read: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, rejected: 0, suspended: 0, deleted: 0 };

export interface NewRunRow {
  account_id: number;
  connection_id: number;
  history_key: string;
  connector_id: string;
  action_id: string;
  type: 'import' | 'export';
  trigger: RunTrigger;
  started_by: number | null;
  slot_at: Date | null;
  window_since: Date | null;
  window_until: Date | null;
  options: Record<string, unknown>;
  dry_run: boolean;
  disable_access: boolean;
  rerun_of: number | null;
  note?: string | null;
}

/**
 * Inserts a queued run and its pg-boss job in one transaction on `client`. Returns null when the run
 * already exists (a schedule slot taken by another process: unique index runs_one_per_slot).
 */
export async function insertQueuedRun(ctx: AppContext, client: pg.PoolClient, r: NewRunRow): Promise<number | null> {
  const res = await client.query<{ id: number }>(
    `insert into runs (account_id, connection_id, history_key, connector_id, action_id, type, trigger, started_by, slot_at,
       window_since, window_until, options, dry_run, disable_access, rerun_of, note)
     values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)
     on conflict (connection_id, action_id, slot_at) where slot_at is not null do nothing
     returning id`,
    [r.account_id, r.connection_id, r.history_key, r.connector_id, r.action_id, r.type, r.trigger, r.started_by, r.slot_at,
      r.window_since, r.window_until, JSON.stringify(r.options), r.dry_run, r.disable_access, r.rerun_of, r.note ?? null],
  );
  const id = res.rows[0]?.id;
  if (id === undefined) return null;
  await sendRunJob(await bossFor(ctx), Number(id), { client });
  return Number(id);
}

/** Runs `fn` in a transaction on a pooled client (the run row and its job commit together). */
export async function inTransaction<T>(ctx: AppContext, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await ctx.pool.connect();
  try {
    await c.query('begin');
    const out = await fn(c);
    await c.query('commit');
    return out;
  } catch (e) {
    await c.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}

export interface OnDemandInput {
  connectionId: number;
  actionId: string;
  since?: Date | null;
  until?: Date | null;
  dryRun?: boolean;
  /** "Disable access during execution": the account's learner-facing API answers 503 while the run runs. */
  disableAccess?: boolean;
}

/**
 * Starts a run now (queued for the workers). The window is since .. until, or since .. the moment the
 * run starts ("from the start date until present").
 * @example await createOnDemandRun(ctx, actor, { connectionId: 3, actionId: 'list-files', since: new Date('2026-01-01') })
 */
export async function createOnDemandRun(ctx: AppContext, actor: Actor, input: OnDemandInput): Promise<RunView> {
  const { row, connector } = await openConnection(ctx, actor.accountId, input.connectionId);
  if (!row.enabled) throw ConnectionErrors.DISABLED.create(row.name);
  const action = connector.actions.find((a) => a.id === input.actionId);
  if (!action) throw ConnectorErrors.ACTION_NOT_FOUND.create({ detail: `${connector.id}/${input.actionId}`, field: 'actionId' });
  if (input.dryRun && !action.supportsDryRun) throw RunErrors.DRY_RUN_UNSUPPORTED.create({ field: 'dryRun', detail: action.id });
  if (input.since && input.until && input.until.getTime() <= input.since.getTime()) throw RunErrors.BAD_WINDOW.create({ field: 'until' });
  // A window cannot end after the run: what is stored later would belong to no export.
  const now = ctx.clock.now();
  if (input.until && input.until.getTime() > now.getTime()) throw RunErrors.FUTURE_WINDOW.create({ field: 'until', detail: `${input.until.toISOString()} is after now (${now.toISOString()})` });
  if (input.since && input.since.getTime() > now.getTime()) throw RunErrors.FUTURE_WINDOW.create({ field: 'since', detail: `${input.since.toISOString()} is after now (${now.toISOString()})` });
  const options = await getActionOptions(ctx, actor.accountId, row.id, action.id);
  const id = await inTransaction(ctx, (c) =>
    insertQueuedRun(ctx, c, {
      account_id: actor.accountId, connection_id: row.id, history_key: row.history_key, connector_id: connector.id, action_id: action.id,
      type: action.kind, trigger: 'on_demand', started_by: actor.userId, slot_at: null, window_since: input.since ?? null,
      window_until: input.until ?? null, options, dry_run: input.dryRun ?? false, disable_access: input.disableAccess ?? false, rerun_of: null,
    }),
  );
  return getRun(ctx, actor.accountId, id!);
}

const runColumns = [
  'id', 'account_id', 'connection_id', 'connector_id', 'action_id', 'type', 'trigger', 'started_by', 'slot_at', 'window_since', 'window_until',
  'status', 'dry_run', 'approved', 'approval_reason', 'approval_summary', 'disable_access', 'counts', 'progress_done', 'progress_total',
  'progress_phase', 'error', 'error_code', 'note', 'rerun_of', 'state_before', 'state_after', 'queued_at', 'started_at', 'finished_at', 'history_key', 'cancel_requested',
  'worker_host', 'worker_pid',
] as const;

type RunRow = Awaited<ReturnType<typeof selectRun>>;
function selectRun(ctx: AppContext) {
  return ctx.db.selectFrom('runs').select(runColumns).executeTakeFirstOrThrow();
}

function toView(r: RunRow, now: Date) {
  return {
    id: r.id,
    connectionId: r.connection_id,
    connectorId: r.connector_id,
    actionId: r.action_id,
    type: r.type,
    trigger: r.trigger,
    startedBy: r.started_by,
    slotAt: r.slot_at,
    window: { since: r.window_since, until: r.window_until },
    status: r.status,
    counts: { ...ZERO_COUNTS, ...r.counts },
    progress: { done: r.progress_done, total: r.progress_total, phase: r.progress_phase },
    dryRun: r.dry_run,
    approved: r.approved,
    approval: r.approval_reason ? { reason: r.approval_reason, summary: r.approval_summary ?? {} } : null,
    disableAccess: r.disable_access,
    cancelRequested: r.cancel_requested,
    error: r.error,
    /** The stable LMC_ERR_... code of `error` (a failed run); the message is for people. */
    errorCode: r.error_code,
    note: r.note,
    rerunOf: r.rerun_of,
    /** The machine and process of the worker that ran it (the last one, for an approved run executed twice). */
    worker: r.worker_host ? { host: r.worker_host, pid: r.worker_pid } : null,
    queuedAt: r.queued_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    incremental: r.state_before === null && r.state_after === null ? null : { before: r.state_before, after: r.state_after },
    durationMs: r.started_at ? (r.finished_at ?? now).getTime() - r.started_at.getTime() : null,
  };
}
export type RunView = ReturnType<typeof toView>;

export async function getRun(ctx: AppContext, accountId: number, id: number): Promise<RunView> {
  const r = await ctx.db.selectFrom('runs').select(runColumns).where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
  if (!r) throw RunErrors.NOT_FOUND.create(String(id));
  return toView(r, ctx.clock.now());
}

/** A run with its log and the names of its files. */
export async function getRunDetail(ctx: AppContext, accountId: number, id: number, opts: { logLimit?: number } = {}) {
  const run = await getRun(ctx, accountId, id);
  const log = await ctx.db.selectFrom('run_logs').select(['seq', 'at', 'level', 'message', 'data']).where('run_id', '=', id).orderBy('seq').limit(opts.logLimit ?? 1000).execute();
  const files = await ctx.db.selectFrom('run_files').select(['name', 'content_type as contentType', 'size', 'created_at as createdAt']).where('run_id', '=', id).orderBy('name').execute();
  return { ...run, log, files };
}

export interface RunFilter {
  connectionId?: number;
  actionId?: string;
  /** Only runs of these actions of these connectors (e.g. every action that is the user import); empty: none. */
  actions?: Array<{ connectorId: string; actionId: string }>;
  status?: RunStatus;
  trigger?: RunTrigger;
  order?: 'asc' | 'desc';
  limit?: number;
  /** Keyset paging: runs with id after (asc) or before (desc) this one. */
  cursor?: number;
}

/**
 * The runs of an account, oldest first by default. With connectionId: that connection's history,
 * including runs of a deleted connection with the same connector and name.
 */
export async function listRuns(ctx: AppContext, accountId: number, f: RunFilter = {}): Promise<Array<RunView & { connectionName: string | null }>> {
  // The connection's name for lists across connections (a deleted connection keeps its row, and so its name).
  let q = ctx.db
    .selectFrom('runs')
    .select(runColumns)
    .select((eb) => eb.selectFrom('connections').select('connections.name').whereRef('connections.id', '=', 'runs.connection_id').as('connection_name'))
    .where('account_id', '=', accountId);
  if (f.connectionId !== undefined) {
    const c = await ctx.db.selectFrom('connections').select('history_key').where('account_id', '=', accountId).where('id', '=', f.connectionId).executeTakeFirst();
    if (!c) throw ConnectionErrors.NOT_FOUND.create(String(f.connectionId));
    q = q.where('history_key', '=', c.history_key);
  }
  if (f.actionId) q = q.where('action_id', '=', f.actionId);
  if (f.actions) {
    const pairs = f.actions;
    if (pairs.length === 0) return [];
    q = q.where((eb) => eb.or(pairs.map((p) => eb.and([eb('connector_id', '=', p.connectorId), eb('action_id', '=', p.actionId)]))));
  }
  if (f.status) q = q.where('status', '=', f.status);
  if (f.trigger) q = q.where('trigger', '=', f.trigger);
  const order = f.order ?? 'asc';
  if (f.cursor !== undefined) q = q.where('id', order === 'asc' ? '>' : '<', f.cursor);
  const rows = await q.orderBy('id', order).limit(Math.min(f.limit ?? 100, 1000)).execute();
  const now = ctx.clock.now();
  return rows.map(({ connection_name, ...r }) => ({ ...toView(r, now), connectionName: connection_name ?? null }));
}

/** A person as run notes name them (their name, else their email; never an id: the notes are read by admins). */
async function personName(ctx: AppContext, userId: number): Promise<string> {
  const u = await ctx.db.selectFrom('users').select(['name', 'email']).where('id', '=', userId).executeTakeFirst();
  return u?.name || u?.email || 'an administrator';
}

/** Cancels a queued run at once, or asks a running one to stop (its action sees rc.signal aborted). */
export async function cancelRun(ctx: AppContext, accountId: number, id: number, actor?: Actor): Promise<RunView> {
  const who = actor?.userId ? ` by ${await personName(ctx, actor.userId)}` : '';
  const now = await ctx.db
    .updateTable('runs')
    .set({ status: 'cancelled', finished_at: sql<Date>`now()`, note: `cancelled${who} before it started` })
    .where('id', '=', id).where('account_id', '=', accountId).where('status', 'in', ['queued', 'needs_approval'])
    .returning('id').executeTakeFirst();
  if (now) {
    await notifyRunFinished(ctx, id);
    return getRun(ctx, accountId, id);
  }
  const running = await ctx.db.updateTable('runs').set({ cancel_requested: true }).where('id', '=', id).where('account_id', '=', accountId).where('status', '=', 'running').returning('id').executeTakeFirst();
  if (!running) {
    await getRun(ctx, accountId, id); // 404 when it does not exist
    throw RunErrors.NOT_CANCELLABLE.create(String(id));
  }
  return getRun(ctx, accountId, id);
}

/** Re-runs the latest run of its connection action (same window and dry-run flag, current options). */
export async function rerunRun(ctx: AppContext, actor: Actor, id: number): Promise<RunView> {
  const run = await ctx.db.selectFrom('runs').select(runColumns).where('account_id', '=', actor.accountId).where('id', '=', id).executeTakeFirst();
  if (!run) throw RunErrors.NOT_FOUND.create(String(id));
  const latest = await ctx.db.selectFrom('runs').select(sql<number>`max(id)`.as('id')).where('account_id', '=', actor.accountId).where('history_key', '=', run.history_key).where('action_id', '=', run.action_id).executeTakeFirstOrThrow();
  if (latest.id !== run.id) throw RunErrors.NOT_LATEST.create({ detail: `run ${id}; the latest run of ${run.action_id} is ${latest.id}`, data: { latestRunId: latest.id } });
  if (!FINAL_STATUSES.includes(run.status)) throw RunErrors.NOT_FINISHED.create(`run ${id} is ${run.status}`);
  const live = await ctx.db.selectFrom('connections').select('id').where('account_id', '=', actor.accountId).where('history_key', '=', run.history_key).where('deleted_at', 'is', null).executeTakeFirst();
  if (!live) throw ConnectionErrors.NOT_FOUND.create(`the connection of run ${id} was deleted`);
  const { row, connector } = await openConnection(ctx, actor.accountId, live.id);
  if (!row.enabled) throw ConnectionErrors.DISABLED.create(row.name);
  const action = connector.actions.find((a) => a.id === run.action_id);
  if (!action) throw ConnectorErrors.ACTION_NOT_FOUND.create({ detail: `${connector.id}/${run.action_id}` });
  const options = await getActionOptions(ctx, actor.accountId, row.id, action.id);
  const newId = await inTransaction(ctx, (c) =>
    insertQueuedRun(ctx, c, {
      account_id: actor.accountId, connection_id: row.id, history_key: row.history_key, connector_id: connector.id, action_id: action.id,
      type: action.kind, trigger: 'rerun', started_by: actor.userId, slot_at: null, window_since: run.window_since, window_until: run.window_until,
      options, dry_run: run.dry_run, disable_access: run.disable_access, rerun_of: run.id,
    }),
  );
  return getRun(ctx, actor.accountId, newId!);
}

/**
 * Approves a run stopped in needs_approval: it runs again from the start, with rc.approved = true. It keeps
 * its start time (the run began when it was asked for; the claim keeps started_at of an approved run).
 */
export async function approveRun(ctx: AppContext, actor: Actor, id: number): Promise<RunView> {
  await inTransaction(ctx, async (c) => {
    const r = await c.query(
      `update runs set status = 'queued', approved = true, counts = $3, progress_done = 0, progress_total = null, progress_phase = null,
         error = null, error_code = null, worker_id = null, lease_expires_at = null, finished_at = null,
         note = 'approved by ' || coalesce((select coalesce(nullif(name, ''), email) from users where id = $4), 'an administrator')
       where id = $1 and account_id = $2 and status = 'needs_approval' returning id`,
      [id, actor.accountId, JSON.stringify(ZERO_COUNTS), actor.userId],
    );
    if (r.rowCount === 0) {
      await getRun(ctx, actor.accountId, id);
      throw RunErrors.NOT_AWAITING_APPROVAL.create(String(id));
    }
    await c.query('delete from run_rejects where run_id = $1', [id]);
    await c.query('delete from run_files where run_id = $1', [id]);
    await sendRunJob(await bossFor(ctx), id, { client: c });
  });
  return getRun(ctx, actor.accountId, id);
}

/** Refuses a run waiting for approval: it ends cancelled, nothing applied. */
export async function rejectRun(ctx: AppContext, actor: Actor, id: number): Promise<RunView> {
  const r = await ctx.db
    .updateTable('runs')
    .set({ status: 'cancelled', finished_at: sql<Date>`now()`, note: `approval refused by ${actor.userId ? await personName(ctx, actor.userId) : 'an administrator'}` })
    .where('id', '=', id).where('account_id', '=', actor.accountId).where('status', '=', 'needs_approval')
    .returning('id').executeTakeFirst();
  if (!r) {
    await getRun(ctx, actor.accountId, id);
    throw RunErrors.NOT_AWAITING_APPROVAL.create(String(id));
  }
  await notifyRunFinished(ctx, id);
  return getRun(ctx, actor.accountId, id);
}

/**
 * The error report as CSV (source, line, record_id, field, reason), streamed page by page: memory does
 * not grow with the number of rejects.
 */
export async function errorReportCsv(ctx: AppContext, accountId: number, id: number): Promise<Readable> {
  await getRun(ctx, accountId, id);
  const db = ctx.db;
  // In file and line order (rejects without a line first in their file), pages keyed on that order
  // (index run_rejects_line_order): the order they were recorded in follows the run's phases, not the file.
  async function* rows() {
    let after: { source: string; line: number; seq: number } | undefined;
    for (;;) {
      const page = await sql<{ seq: number; source: string; line: number | null; record_id: string | null; field: string | null; reason: string }>`
        select seq, source, line, record_id, field, reason from run_rejects
        where run_id = ${id} ${after ? sql`and (source, coalesce(line, 0), seq) > (${after.source}, ${after.line}, ${after.seq})` : sql``}
        order by source, coalesce(line, 0), seq limit 5000`.execute(db);
      for (const r of page.rows) yield [r.source, r.line ?? '', r.record_id ?? '', r.field ?? '', r.reason];
      if (page.rows.length < 5000) return;
      const last = page.rows[page.rows.length - 1];
      after = { source: last.source, line: last.line ?? 0, seq: last.seq };
    }
  }
  // A person opens this file: a rejected value like =HYPERLINK(...) must stay text (src/shared/csv-formula.ts).
  const csv = stringify({ header: true, columns: ['source', 'line', 'record_id', 'field', 'reason'], cast: { string: neutraliseFormula } });
  Readable.from(rows()).pipe(csv);
  return csv;
}

/** A file the run produced: its metadata, and its content streamed on demand (see run-files.ts). */
export async function getRunFile(ctx: AppContext, accountId: number, id: number, name: string) {
  await getRun(ctx, accountId, id);
  const f = await ctx.db.selectFrom('run_files').select(['name', 'content_type', 'size']).where('run_id', '=', id).where('name', '=', name).executeTakeFirst();
  if (!f) throw RunErrors.FILE_NOT_FOUND.create(name);
  return { name: f.name, contentType: f.content_type, size: f.size, open: (): Readable => readRunFile(ctx, id, name) };
}

const STATUS_WORDS: Record<string, string> = {
  completed: 'completed', completed_with_errors: 'completed with errors', failed: 'failed', cancelled: 'was cancelled', needs_approval: 'needs approval',
};

/** One notification per finished run, for the account's admins. */
export async function notifyRunFinished(ctx: AppContext, runId: number, db: AppContext['db'] = ctx.db): Promise<void> {
  const r = await db
    .selectFrom('runs as r')
    .leftJoin('connections as c', 'c.id', 'r.connection_id')
    .select(['r.account_id', 'r.id', 'r.status', 'r.action_id', 'r.connector_id', 'r.error', 'r.note', 'r.counts', 'c.name'])
    .where('r.id', '=', runId)
    .executeTakeFirst();
  if (!r) return;
  const counts = { ...ZERO_COUNTS, ...r.counts };
  const body = r.error ?? [r.note, `read ${counts.read}, created ${counts.created}, updated ${counts.updated}, rejected ${counts.rejected}`].filter(Boolean).join('; ');
  // Words an admin reads ("HR drop: Import Internal Users completed with errors"), not ids; the run is linked by run_id.
  // Imported when used: the registry loads the pipelines, which use this module.
  const action = await import('./registry.ts').then(({ loadRegistry }) => loadRegistry()).then((reg) => reg.action(r.connector_id, r.action_id).displayName, () => r.action_id);
  const title = `${r.name ?? 'A deleted connection'}: ${action} ${STATUS_WORDS[r.status] ?? r.status}`;
  await db.insertInto('notifications').values({ account_id: r.account_id, run_id: r.id, kind: `run_${r.status}`, title, body }).execute();
}

export async function listNotifications(ctx: AppContext, accountId: number, opts: { afterId?: number; limit?: number } = {}) {
  // With the run's connection and action, so a screen links a notification to its run's Execution Status.
  let q = ctx.db
    .selectFrom('notifications as n')
    .leftJoin('runs as r', 'r.id', 'n.run_id')
    .select(['n.id', 'n.run_id as runId', 'n.kind', 'n.title', 'n.body', 'n.created_at as createdAt', 'r.connection_id as connectionId', 'r.action_id as actionId'])
    .where('n.account_id', '=', accountId);
  if (opts.afterId) q = q.where('n.id', '>', opts.afterId);
  return q.orderBy('n.id', 'desc').limit(Math.min(opts.limit ?? 100, 1000)).execute();
}
