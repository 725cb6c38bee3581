import type { AppContext } from '../app-context.ts';
import { engineTimings, type EngineTimings } from './engine-config.ts';
import { reapExpiredRuns } from './executor.ts';
import { loadRegistry } from './registry.ts';
import { bossFor } from './boss-client.ts';
import { RUN_QUEUE } from './queue.ts';
import { inTransaction, type NewRunRow } from './runs.ts';
import { lastSlotAtOrBefore, nextSlotAfter } from './schedule-math.ts';
import { specOf } from './schedules.ts';

/**
 * Turns due schedule slots into queued runs. A slot becomes exactly one run whatever the number of
 * schedulers: due schedule rows are locked (FOR UPDATE SKIP LOCKED: two schedulers take disjoint rows),
 * advanced, and their runs inserted (unique per connection, action and slot) with their pg-boss jobs
 * (singleton key run:<id>) in the same transaction, a batch at a time. After downtime the missed slots of a
 * schedule run once: only the latest due slot is queued, and the schedule moves past now.
 */
export async function enqueueDueSlots(ctx: AppContext, now = ctx.clock.now(), batch = 500): Promise<number> {
  const registry = await loadRegistry(ctx.log);
  const boss = await bossFor(ctx);
  let queued = 0;
  for (;;) {
    const n = await inTransaction(ctx, async (c) => {
      const due = await c.query<{
        connection_id: number; action_id: string; account_id: number; start_local: string; time_zone: string; every_n: number;
        unit: 'days' | 'hours'; next_due_at: Date; history_key: string; connector_id: string; options: Record<string, unknown> | null;
      }>(
        `select s.connection_id, s.action_id, s.account_id, s.start_local, s.time_zone, s.every_n, s.unit, s.next_due_at,
           c.history_key, c.connector_id, a.options
         from schedules s
         join connections c on c.id = s.connection_id
         left join action_settings a on a.connection_id = s.connection_id and a.action_id = s.action_id
         where s.enabled and s.next_due_at <= $1 and c.enabled and c.deleted_at is null
         order by s.next_due_at
         limit $2
         for update of s skip locked`,
        [now, batch],
      );
      if (due.rows.length === 0) return 0;
      const adv = { conn: [] as number[], action: [] as string[], next: [] as Date[], slot: [] as Date[] };
      const runs: NewRunRow[] = [];
      for (const s of due.rows) {
        const spec = specOf(s);
        const slot = lastSlotAtOrBefore(spec, now) ?? s.next_due_at;
        adv.conn.push(s.connection_id);
        adv.action.push(s.action_id);
        adv.next.push(nextSlotAfter(spec, now));
        adv.slot.push(slot);
        const action = registry.list().find((x) => x.id === s.connector_id)?.actions.find((a) => a.id === s.action_id);
        if (!action) continue; // the connector or action is gone: the schedule moves on, nothing runs
        runs.push({
          account_id: s.account_id, connection_id: s.connection_id, history_key: s.history_key, connector_id: s.connector_id, action_id: s.action_id,
          type: action.kind, trigger: 'schedule', started_by: null, slot_at: slot, window_since: null, window_until: null,
          options: parseOptions(action.options, s.options ?? {}), dry_run: false, disable_access: false, rerun_of: null,
        });
      }
      await c.query(
        `update schedules s set next_due_at = v.next, last_slot_at = v.slot
         from unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::timestamptz[]) as v(conn, action, next, slot)
         where s.connection_id = v.conn and s.action_id = v.action`,
        [adv.conn, adv.action, adv.next, adv.slot],
      );
      if (runs.length === 0) return due.rows.length;
      const ins = await c.query<{ id: number }>(
        `insert into runs (account_id, connection_id, history_key, connector_id, action_id, type, trigger, slot_at, options)
         select * from unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::jsonb[])
         on conflict (connection_id, action_id, slot_at) where slot_at is not null do nothing
         returning id`,
        [runs.map((r) => r.account_id), runs.map((r) => r.connection_id), runs.map((r) => r.history_key), runs.map((r) => r.connector_id),
          runs.map((r) => r.action_id), runs.map((r) => r.type), runs.map((r) => r.trigger), runs.map((r) => r.slot_at), runs.map((r) => JSON.stringify(r.options))],
      );
      if (ins.rows.length > 0) {
        await boss.insert(
          ins.rows.map((r) => ({ name: RUN_QUEUE, data: { runId: Number(r.id) }, singletonKey: `run:${r.id}` })),
          { db: { executeSql: (text: string, values: unknown[]) => c.query(text, values) } },
        );
      }
      queued += ins.rows.length;
      return due.rows.length;
    });
    if (n < batch) return queued;
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
