import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';

/** What an admin checks at a glance for each connection: its last run and its schedules with their next run. */
export interface ConnectionHealth {
  lastRun: { id: number; actionId: string; status: string; dryRun: boolean; at: Date } | null;
  schedules: Array<{ actionId: string; enabled: boolean; every: number; unit: 'days' | 'hours'; timeZone: string; nextDueAt: Date | null }>;
}

/**
 * The health of an account's connections, by connection id: the newest run of its history (runs of a deleted
 * connection with the same connector and name count, as on Execution Status) and its schedules. Two queries
 * for any number of connections.
 * @example const h = await connectionHealth(ctx, accountId, [3, 4]); h.get(3)?.lastRun?.status
 */
export async function connectionHealth(ctx: AppContext, accountId: number, ids: number[]): Promise<Map<number, ConnectionHealth>> {
  const out = new Map<number, ConnectionHealth>(ids.map((id) => [id, { lastRun: null, schedules: [] }]));
  if (!ids.length) return out;
  const last = await sql<{ connection_id: number; id: number; action_id: string; status: string; dry_run: boolean; at: Date }>`
    select distinct on (c.id) c.id as connection_id, r.id, r.action_id, r.status, r.dry_run, coalesce(r.finished_at, r.started_at, r.queued_at) as at
    from connections c join runs r on r.account_id = c.account_id and r.history_key = c.history_key
    where c.account_id = ${accountId} and c.id in (${sql.join(ids)})
    order by c.id, r.id desc`.execute(ctx.db);
  for (const r of last.rows) out.get(r.connection_id)!.lastRun = { id: r.id, actionId: r.action_id, status: r.status, dryRun: r.dry_run, at: r.at };
  const schedules = await ctx.db
    .selectFrom('schedules')
    .select(['connection_id', 'action_id', 'enabled', 'every_n', 'unit', 'time_zone', 'next_due_at'])
    .where('account_id', '=', accountId)
    .where('connection_id', 'in', ids)
    .orderBy('action_id')
    .execute();
  for (const s of schedules) {
    out.get(s.connection_id)?.schedules.push({ actionId: s.action_id, enabled: s.enabled, every: s.every_n, unit: s.unit, timeZone: s.time_zone, nextDueAt: s.next_due_at });
  }
  return out;
}
