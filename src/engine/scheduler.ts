import type { AppContext } from '../app-context.ts';
import { engineTimings, type EngineTimings } from './engine-config.ts';
import { reapExpiredRuns } from './executor.ts';
import { loadRegistry } from './registry.ts';
import { inTransaction, insertQueuedRun } from './runs.ts';
import { lastSlotAtOrBefore, nextSlotAfter } from './schedule-math.ts';
import { specOf } from './schedules.ts';

/**
 * Turns due schedule slots into queued runs. A slot becomes exactly one run whatever the number of
 * schedulers: the schedule row is locked (skip locked), re-checked as due and advanced, the run is unique per
 * (connection, action, slot), and its job carries the singleton key run:<id>. After downtime the missed
 * slots of a schedule run once: only the latest due slot is queued, and the schedule moves past now.
 */
export async function enqueueDueSlots(ctx: AppContext, now = new Date()): Promise<number> {
  const registry = await loadRegistry(ctx.log);
  let queued = 0;
  for (;;) {
    const due = await ctx.db
      .selectFrom('schedules as s')
      .innerJoin('connections as c', 'c.id', 's.connection_id')
      .select(['s.connection_id', 's.action_id', 's.account_id', 's.start_local', 's.time_zone', 's.every_n', 's.unit', 's.next_due_at', 'c.history_key', 'c.connector_id'])
      .where('s.enabled', '=', true)
      .where('s.next_due_at', '<=', now)
      .where('c.enabled', '=', true)
      .where('c.deleted_at', 'is', null)
      .orderBy('s.next_due_at')
      .limit(200)
      .execute();
    if (due.length === 0) return queued;
    let progressed = 0;
    // Slots are independent (one transaction each): a few at a time, within the pool's size.
    const lanes = 6;
    let next_ = 0;
    const one = async (s: (typeof due)[number]) => {
      const spec = specOf(s);
      const slot = lastSlotAtOrBefore(spec, now) ?? s.next_due_at!;
      const next = nextSlotAfter(spec, now);
      const action = registry.list().find((c) => c.id === s.connector_id)?.actions.find((a) => a.id === s.action_id);
      const made = await inTransaction(ctx, async (c) => {
        // Row lock, skipping a row another scheduler holds; then re-check it is still due (it may have advanced).
        const lock = await c.query(
          'select 1 from schedules where connection_id = $1 and action_id = $2 and enabled and next_due_at <= $3 for update skip locked',
          [s.connection_id, s.action_id, now],
        );
        if (lock.rowCount === 0) return 'taken';
        await c.query('update schedules set next_due_at = $1, last_slot_at = $2 where connection_id = $3 and action_id = $4', [next, slot, s.connection_id, s.action_id]);
        if (!action) return 'skipped';
        const opts = await c.query<{ options: Record<string, unknown> }>('select options from action_settings where connection_id = $1 and action_id = $2', [s.connection_id, s.action_id]);
        const id = await insertQueuedRun(ctx, c, {
          account_id: s.account_id, connection_id: s.connection_id, history_key: s.history_key, connector_id: s.connector_id, action_id: s.action_id,
          type: action.kind, trigger: 'schedule', started_by: null, slot_at: slot, window_since: null, window_until: null,
          options: parseOptions(action.options, opts.rows[0]?.options ?? {}), dry_run: false, disable_access: false, rerun_of: null,
        });
        return id === null ? 'taken' : 'queued';
      });
      if (made !== 'taken') progressed++;
      if (made === 'queued') queued++;
    };
    await Promise.all(Array.from({ length: lanes }, async () => {
      while (next_ < due.length) await one(due[next_++]);
    }));
    if (progressed === 0 && due.length < 200) return queued;
  }
}

function parseOptions(schema: { safeParse(v: unknown): { success: boolean; data?: unknown } }, v: unknown): Record<string, unknown> {
  const r = schema.safeParse(v);
  return (r.success ? r.data : v) as Record<string, unknown>;
}

/**
 * The scheduler of `lmc serve`: every tickMs, queue the due slots and reap runs whose lease lapsed.
 * Any number may run (several `lmc serve` processes): slots still run once.
 */
export function startScheduler(ctx: AppContext, timings: EngineTimings = engineTimings()): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = running.then(async () => {
      if (stopped) return;
      await reapExpiredRuns(ctx);
      await enqueueDueSlots(ctx);
    }).catch((e) => ctx.log.warn({ err: e }, 'scheduler tick failed'));
  };
  tick();
  const timer = setInterval(tick, timings.tickMs);
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
