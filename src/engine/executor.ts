import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import type { RunCounts } from '../db/schema/engine.ts';
import type { ConnectorDefinition } from '../kit/define-connector.ts';
import type { FileSource } from '../kit/file-sources/file-source.ts';
import type { CountKind, RejectedRecord, RunContext } from '../kit/run-context.ts';
import type { PipelineRunContext } from '../pipelines/pipeline-action.ts';
import { reportRows } from '../pipelines/export-reports/report-rows.ts';
import { sourceIdsOfUsers } from '../platform/user-import/source-ids.ts';
import { withExclusiveLock } from './exclusive-lock.ts';
import { connectorEnv } from './connections.ts';
import type { EngineTimings } from './engine-config.ts';
import { loadRegistry } from './registry.ts';
import { storeRunFile } from './run-files.ts';
import { notifyRunFinished, ZERO_COUNTS } from './runs.ts';
import type { HttpClient } from '../kit/http/client.ts';
import { commitActionState, readActionState } from './action-state.ts';
import { connectionHttpClient } from './connection-http.ts';
import { openSettings, secretKey } from './secrets.ts';
import { LmcError } from '../shared/errors.ts';
import { RunErrors } from './errors.ts';
import os from 'node:os';
import { withLogScope } from '../shared/log-scope.ts';
import { runDuration, runRecords, vendorApiCalls, vendorApiRetries } from '../shared/metrics.ts';

/** Thrown by rc.requireApproval: the run stops in needs_approval. */
export class ApprovalRequired extends Error {
  constructor(readonly reason: string, readonly summary: Record<string, unknown>) {
    super(`needs approval: ${reason}`);
  }
}

export type ExecuteOutcome = { kind: 'done'; status: string } | { kind: 'skipped'; why: string } | { kind: 'busy'; blockingRunId: number | null };

const REJECT_BATCH = 500;

/**
 * Marks runs whose lease lapsed (their worker died or hung) failed "interrupted", which also lifts the
 * account's maintenance (it follows the run's status). Safe from any number of processes: each expired
 * run is changed, and notified, once.
 */
export async function reapExpiredRuns(ctx: AppContext, filter?: { accountId: number; historyKey: string; actionId: string }): Promise<number[]> {
  let q = ctx.db
    .updateTable('runs')
    .set({ status: 'failed', finished_at: sql<Date>`now()`, error: sql<string>`'interrupted: the worker stopped responding (lease expired ' || to_char(lease_expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ')'`, error_code: RunErrors.INTERRUPTED.code })
    .where('status', '=', 'running')
    .where('lease_expires_at', '<', sql<Date>`now()`);
  if (filter) q = q.where('account_id', '=', filter.accountId).where('history_key', '=', filter.historyKey).where('action_id', '=', filter.actionId);
  const rows = await q.returning('id').execute();
  for (const r of rows) await notifyRunFinished(ctx, r.id);
  return rows.map((r) => r.id);
}

export interface ExecuteOptions {
  workerId: string;
  timings: EngineTimings;
  /** Aborted when the worker shuts down: the run ends failed (interrupted). */
  shutdown?: AbortSignal;
}

/**
 * Executes a queued run: claims it (at most one running run per connection action: unique index
 * runs_one_running), keeps its lease alive, runs the action with a RunContext, and records the outcome.
 * Returns 'busy' when the same action is still running (the caller re-queues it), 'skipped' when the run
 * is no longer queued (cancelled, or already taken).
 */
export async function executeRun(ctx: AppContext, runId: number, opts: ExecuteOptions): Promise<ExecuteOutcome> {
  const pre = await ctx.db.selectFrom('runs').select(['status', 'account_id', 'history_key', 'action_id', 'connector_id']).where('id', '=', runId).executeTakeFirst();
  if (!pre) return { kind: 'skipped', why: 'no such run' };
  if (pre.status !== 'queued') return { kind: 'skipped', why: `run is ${pre.status}` };
  const registry = await loadRegistry(ctx.log);
  let connector: ConnectorDefinition;
  try {
    connector = registry.get(pre.connector_id);
  } catch (e) {
    await failUnclaimed(ctx, runId, (e as Error).message, errorCodeOf(e));
    return { kind: 'done', status: 'failed' };
  }
  const action = connector.actions.find((a) => a.id === pre.action_id);
  if (!action) {
    await failUnclaimed(ctx, runId, `the connector ${connector.id} has no action ${pre.action_id} any more`);
    return { kind: 'done', status: 'failed' };
  }
  const leaseSec = opts.timings.leaseMs / 1000;
  // started_at and the window's end come from the app clock; the lease from the database's (shared by every process).
  const claim = (now = ctx.clock.now()) => sql<{ id: number; account_id: number; connection_id: number; trigger: 'on_demand' | 'schedule' | 'rerun'; window_since: Date | null; window_until: Date; options: Record<string, unknown>; dry_run: boolean; approved: boolean }>`
      update runs r set status = 'running', worker_id = ${opts.workerId}, worker_host = ${os.hostname()}, worker_pid = ${process.pid},
        -- "waiting: run #4 ... is still running" was true while it waited, not once it runs (issue 18.9)
        note = case when r.note like 'waiting: run #%' then null else r.note end,
        started_at = case when r.approved then coalesce(r.started_at, ${now}) else greatest(${now}, (
          -- Never before the end of the run of this action that just finished: its end may be read from the clock
          -- a moment after this claim's (it commits in between), and "started before the other ended" would be a lie.
          select max(p.finished_at) from runs p where p.account_id = r.account_id and p.history_key = r.history_key and p.action_id = r.action_id
            and p.id <> r.id and p.finished_at between ${now}::timestamptz - interval '1 second' and ${now}::timestamptz + interval '1 second')) end, heartbeat_at = now(),
        lease_expires_at = now() + make_interval(secs => ${leaseSec}), cancel_requested = false,
        window_until = coalesce(r.window_until, ${now}),
        -- Continue from where the last successful run's data ended: its window's end, or the moment it ran when
        -- that end was in the future (older versions accepted such windows; what was stored after the run was
        -- not in its file). Never from a point after this run's own end.
        window_since = case when r.trigger = 'schedule' and ${action.windowed} then least(coalesce((
          select max(least(p.window_until, coalesce(p.started_at, p.window_until))) from runs p where p.account_id = r.account_id and p.history_key = r.history_key
            and p.action_id = r.action_id and p.status in ('completed', 'completed_with_errors') and not p.dry_run and p.id <> r.id
        ), r.window_since), coalesce(r.window_until, ${now})) else r.window_since end
      where r.id = ${runId} and r.status = 'queued'
      returning r.id, r.account_id, r.connection_id, r.trigger, r.window_since, r.window_until, r.options, r.dry_run, r.approved`.execute(ctx.db);
  const isBusy = (e: unknown) => (e as { code?: string }).code === '23505';
  let claimed;
  try {
    claimed = await claim();
  } catch (e) {
    if (!isBusy(e)) throw e;
    // A dead run of the same action blocks the claim until the next reaper tick: reap it now and retry once.
    const reaped = await reapExpiredRuns(ctx, { accountId: pre.account_id, historyKey: pre.history_key, actionId: pre.action_id });
    if (reaped.length > 0) claimed = await claim().catch((e2) => (isBusy(e2) ? undefined : Promise.reject(e2)));
  }
  if (!claimed) {
    const blocking = await ctx.db.selectFrom('runs').select('id').where('account_id', '=', pre.account_id).where('history_key', '=', pre.history_key).where('action_id', '=', pre.action_id).where('status', '=', 'running').executeTakeFirst();
    await ctx.db.updateTable('runs').set({ note: `waiting: run #${blocking?.id ?? '?'} of the same action is still running (runs of one action never overlap)` }).where('id', '=', runId).where('status', '=', 'queued').execute();
    return { kind: 'busy', blockingRunId: blocking?.id ?? null };
  }
  const run = claimed.rows[0];
  if (!run) return { kind: 'skipped', why: 'taken by another worker' };
  // Every log line written while the run executes (connector, file source, HTTP client, platform) names it.
  return { kind: 'done', status: await withLogScope({ runId, worker: opts.workerId }, () => runClaimed(ctx, connector, action, run, opts)) };
}

/** The stable code of a run's failure: the error's own LMC_ERR_... code, else the generic one. */
function errorCodeOf(e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  return e instanceof LmcError || (typeof code === 'string' && code.startsWith('LMC_ERR_')) ? String(code) : RunErrors.FAILED.code;
}

async function failUnclaimed(ctx: AppContext, runId: number, error: string, errorCode: string = RunErrors.FAILED.code): Promise<void> {
  const r = await ctx.db.updateTable('runs').set({ status: 'failed', error, error_code: errorCode, finished_at: ctx.clock.now() }).where('id', '=', runId).where('status', '=', 'queued').returning('id').executeTakeFirst();
  if (r) await notifyRunFinished(ctx, runId);
}

async function runClaimed(
  ctx: AppContext,
  connector: ConnectorDefinition,
  action: ConnectorDefinition['actions'][number],
  run: { id: number; account_id: number; connection_id: number; trigger: 'on_demand' | 'schedule' | 'rerun'; window_since: Date | null; window_until: Date; options: Record<string, unknown>; dry_run: boolean; approved: boolean },
  opts: ExecuteOptions,
): Promise<string> {
  const runId = run.id;
  const log = ctx.log.child({ connector: connector.id, action: action.id }); // runId: from the log scope
  const abort = new AbortController();
  const onShutdown = () => abort.abort('shutdown');
  opts.shutdown?.addEventListener('abort', onShutdown);
  const counts: RunCounts = { ...ZERO_COUNTS };
  const runStartedAt = Date.now();
  let progress = { done: 0, total: null as number | null, phase: null as string | null };
  // An approved run executes again on the same row: its first execution's log stays, numbered before this one's.
  const prior = await ctx.db.selectFrom('run_logs').select(sql<number>`coalesce(max(seq), 0)`.as('seq')).where('run_id', '=', runId).executeTakeFirstOrThrow();
  let logSeq = Number(prior.seq);
  let logBuf: Array<{ run_id: number; seq: number; level: string; message: string; data: string | null; at: Date }> = [];
  const priorRejects = await ctx.db.selectFrom('run_rejects').select(sql<number>`coalesce(max(seq), 0)`.as('seq')).where('run_id', '=', runId).executeTakeFirstOrThrow();
  let rejectSeq = Number(priorRejects.seq);
  let rejectBuf: Array<{ run_id: number; seq: number; source: string; line: number | null; record_id: string | null; field: string | null; reason: string }> = [];
  let leaseLost = false;
  let files: FileSource | undefined;
  let api: HttpClient | undefined;

  const flushLogs = async () => {
    if (logBuf.length === 0) return;
    const b = logBuf;
    logBuf = [];
    await ctx.db.insertInto('run_logs').values(b).execute();
  };
  const flushRejects = async () => {
    if (rejectBuf.length === 0) return;
    const b = rejectBuf;
    rejectBuf = [];
    await ctx.db.insertInto('run_rejects').values(b).execute();
  };
  const beat = async () => {
    await flushLogs();
    await flushRejects();
    const r = await sql<{ cancel_requested: boolean }>`
      update runs set heartbeat_at = now(), lease_expires_at = now() + make_interval(secs => ${opts.timings.leaseMs / 1000}),
        counts = ${JSON.stringify(counts)}::jsonb, progress_done = ${progress.done}, progress_total = ${progress.total}, progress_phase = ${progress.phase}
      where id = ${runId} and worker_id = ${opts.workerId} and status = 'running' returning cancel_requested`.execute(ctx.db);
    if (r.rows.length === 0) {
      leaseLost = true;
      abort.abort('lease-lost');
    } else if (r.rows[0].cancel_requested) abort.abort('cancel');
  };
  let beating: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    beating = beating.then(beat).catch((e) => log.warn({ err: e }, 'heartbeat failed'));
  }, Math.min(opts.timings.heartbeatMs, 1000));

  let status: string;
  let error: string | null = null;
  let errorCode: string | null = null;
  let approval: ApprovalRequired | undefined;
  let stateBefore: unknown = null;
  let staged: { value: unknown } | undefined;
  try {
    stateBefore = await readActionState(ctx.db, action, run.connection_id);
    const { row, settings } = await loadConnection(ctx, connector, run.account_id, run.connection_id);
    const env = connectorEnv(ctx, run.account_id, run.connection_id, { connector, settings });
    // The app context rides along for the platform's shared actions only (pipelines/pipeline-action.ts).
    const rc: PipelineRunContext<any, any> & RunContext = {
      runId,
      accountId: run.account_id,
      connection: { id: row.id, name: row.name, connectorId: connector.id, settings },
      options: run.options,
      window: { since: run.window_since, until: run.window_until },
      trigger: run.trigger,
      dryRun: run.dry_run,
      approved: run.approved,
      signal: abort.signal,
      log: (level, message, data) => {
        logBuf.push({ run_id: runId, seq: ++logSeq, level, message, data: data ? JSON.stringify(data) : null, at: ctx.clock.now() });
        log.debug({ level }, message);
      },
      progress: (done, total, phase) => {
        progress = { done, total: total ?? progress.total, phase: phase ?? progress.phase };
      },
      count: (kind: CountKind, n = 1) => {
        counts[kind] += n;
      },
      reject: async (r: RejectedRecord) => {
        counts.rejected += 1;
        rejectBuf.push({ run_id: runId, seq: ++rejectSeq, source: r.source, line: r.line ?? null, record_id: r.recordId ?? null, field: r.field ?? null, reason: r.reason });
        if (rejectBuf.length >= REJECT_BATCH) await flushRejects();
      },
      attach: async (name: string, data: Readable | Buffer | string, contentType = 'text/csv') => {
        await storeRunFile(ctx, runId, name, data, contentType);
      },
      requireApproval: (reason, summary) => {
        if (!run.approved) throw new ApprovalRequired(reason, summary);
      },
      state: {
        current: stateBefore,
        stage: (next) => {
          if (!action.state) throw new Error(`the action ${action.id} declares no state`);
          staged = { value: (action.state as z.ZodTypeAny).parse(next) };
        },
      },
      http: () => {
        api ??= connectionHttpClient(ctx, connector, settings, { accountId: run.account_id, connectionId: run.connection_id }, {
          signal: abort.signal,
          onRetry: (e) => rc.log('warn', `${e.httpStatus ? `the vendor answered ${e.httpStatus}` : `the call failed (${e.code ?? 'network'})`}; trying again in ${Math.ceil(e.waitMs / 1000)} s${e.fromServer ? ', as it asked' : ''}`, { ...e }),
        });
        return api;
      },
      files: async () => {
        if (!connector.openFiles) throw new Error(`the connector ${connector.id} has no file drop`);
        files ??= await connector.openFiles(settings as never, env);
        return files;
      },
      platform: {
        reportRows: (report, o) => reportRows(ctx, report, { accountId: run.account_id, ...(run.window_since ? { from: run.window_since } : {}), to: run.window_until }, o),
        userSourceIds: async (userIds) => {
          const client = await ctx.pool.connect();
          try {
            return await sourceIdsOfUsers(client, run.connection_id, userIds);
          } finally {
            client.release();
          }
        },
        exclusive: (key, fn) => withExclusiveLock(ctx, key, fn),
      },
      ctx,
    };
    await action.run(rc);
    status = abort.signal.aborted ? abortStatus(abort.signal.reason) : counts.rejected > 0 ? 'completed_with_errors' : 'completed';
    if (status === 'failed') [error, errorCode] = ['interrupted: the worker was stopped', RunErrors.INTERRUPTED.code];
  } catch (e) {
    if (e instanceof ApprovalRequired) {
      approval = e;
      status = 'needs_approval';
    } else if (abort.signal.aborted) {
      status = abortStatus(abort.signal.reason);
      if (status === 'failed') [error, errorCode] = ['interrupted: the worker was stopped', RunErrors.INTERRUPTED.code];
    } else {
      status = 'failed';
      error = (e as Error)?.message ?? String(e);
      errorCode = errorCodeOf(e);
      log.warn({ err: e }, 'run failed');
    }
  } finally {
    clearInterval(timer);
    opts.shutdown?.removeEventListener('abort', onShutdown);
    await beating;
    await files?.close().catch(() => undefined);
    if (api) {
      const c = api.counters;
      logBuf.push({ run_id: runId, seq: ++logSeq, level: 'info', message: `vendor API: ${c.calls} calls, ${c.retries} retried, ${c.throttled} slowed down by the vendor, ${Math.round(c.waitMs / 1000)} s waited`, data: JSON.stringify(c), at: ctx.clock.now() });
      await api.close().catch(() => undefined);
    }
  }
  if (leaseLost) return 'failed';
  if (status === 'cancelled') logBuf.push({ run_id: runId, seq: ++logSeq, level: 'warn', message: 'cancelled on request', data: null, at: ctx.clock.now() });
  await flushLogs();
  await flushRejects();
  // A finished run's progress is complete: "0/1 applying" on a completed run read as if it had stopped half-way.
  if ((status === 'completed' || status === 'completed_with_errors') && progress.total !== null) progress = { done: Math.max(progress.done, progress.total), total: progress.total, phase: null };
  // The staged state is kept only with a successful real run, in the transaction that records its end.
  const commitState = staged !== undefined && !run.dry_run && (status === 'completed' || status === 'completed_with_errors');
  const finishedAt = ctx.clock.now();
  const done = await ctx.db.transaction().execute(async (trx) => {
    const r = await trx
    .updateTable('runs')
    .set({
      status: status as never,
      finished_at: finishedAt,
      ...(action.state ? { state_before: JSON.stringify(stateBefore), state_after: staged ? JSON.stringify(staged.value) : null } : {}),
      counts: JSON.stringify(counts),
      progress_done: progress.done,
      progress_total: progress.total,
      progress_phase: progress.phase,
      error,
      error_code: errorCode,
      approval_reason: approval?.reason ?? null,
      approval_summary: approval ? JSON.stringify(approval.summary) : null,
      lease_expires_at: null,
    })
    .where('id', '=', runId)
    .where('worker_id', '=', opts.workerId)
    .where('status', '=', 'running')
    .returning('id')
    .executeTakeFirst();
    if (r && commitState) await commitActionState(trx, { accountId: run.account_id, connectionId: run.connection_id, actionId: action.id, runId, state: staged!.value, at: finishedAt });
    return r;
  });
  if (!done) return 'failed'; // the lease lapsed meanwhile: the reaper already recorded it
  countRunMetrics({ connector: connector.id, action: action.id, type: action.kind, status, dryRun: run.dry_run, counts, startedAt: runStartedAt, finishedAt, api: api?.counters });
  await notifyRunFinished(ctx, runId);
  return status;
}

/** The process's Prometheus counters for a finished run (src/shared/metrics.ts). */
function countRunMetrics(r: { connector: string; action: string; type: string; status: string; dryRun: boolean; counts: RunCounts; startedAt: number; finishedAt: Date; api?: { calls: number; retries: number } }): void {
  runDuration.observe({ connector: r.connector, action: r.action, status: r.status }, Math.max(0, Date.now() - r.startedAt) / 1000);
  if (!r.dryRun) for (const [kind, n] of Object.entries(r.counts)) if (n > 0) runRecords.inc({ type: r.type, kind }, n);
  if (r.api) {
    vendorApiCalls.inc({ connector: r.connector }, r.api.calls);
    vendorApiRetries.inc({ connector: r.connector }, r.api.retries);
  }
}

function abortStatus(reason: unknown): string {
  return reason === 'cancel' ? 'cancelled' : 'failed';
}

async function loadConnection(ctx: AppContext, connector: ConnectorDefinition, accountId: number, connectionId: number) {
  const row = await ctx.db.selectFrom('connections').select(['id', 'name', 'settings']).where('id', '=', connectionId).where('account_id', '=', accountId).executeTakeFirstOrThrow();
  const settings = openSettings(secretKey(ctx.config), connector.settings as z.ZodTypeAny, row.settings, `account:${accountId}`);
  return { row, settings };
}
