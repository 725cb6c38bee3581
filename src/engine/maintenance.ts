import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';

/**
 * Maintenance follows the runs table, not a flag: it holds exactly while a "disable access" run is running
 * with a live lease, so it ends however the run ends (a crashed worker's lease lapses). Returns the run
 * holding the account in maintenance, or null.
 */
export async function maintenanceRun(ctx: AppContext, accountId: number): Promise<{ runId: number; retryAfterSeconds: number } | null> {
  const r = await ctx.db
    .selectFrom('runs')
    .select(['id', sql<number>`greatest(5, ceil(extract(epoch from (lease_expires_at - now()))))::int`.as('retry')])
    .where('account_id', '=', accountId)
    .where('status', '=', 'running')
    .where('disable_access', '=', true)
    .where('lease_expires_at', '>', sql<Date>`now()`)
    .limit(1)
    .executeTakeFirst();
  return r ? { runId: r.id, retryAfterSeconds: Math.min(300, r.retry) } : null;
}
