import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { pendingMigrations } from '../db/migrate.ts';
import { BOSS_SCHEMA, RUN_QUEUE } from '../engine/queue.ts';

export interface Readiness {
  ready: boolean;
  checks: { database: string; migrations: string; queue: string };
}

const within = <T>(ms: number, p: Promise<T>): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);

/**
 * Whether this process can do its work (GET /ready, for a load balancer or Kubernetes' readiness probe):
 * the database answers, its schema is this version's (no pending migration: an older process beside a newer
 * schema, or the reverse, is not ready), and the run queue exists. Each check says "ok" or why not, without
 * details of the server (the endpoint is public).
 */
export async function checkReadiness(db: Database, timeoutMs = 3000): Promise<Readiness> {
  const checks: Readiness['checks'] = { database: 'ok', migrations: 'ok', queue: 'ok' };
  try {
    await within(timeoutMs, sql`select 1`.execute(db));
  } catch {
    checks.database = 'unreachable';
    checks.migrations = 'unknown (no database)';
    checks.queue = 'unknown (no database)';
    return { ready: false, checks };
  }
  try {
    const pending = await within(timeoutMs, pendingMigrations(db));
    if (pending.length) checks.migrations = `${pending.length} migration(s) not applied: run lmc migrate`;
  } catch {
    checks.migrations = 'cannot be read';
  }
  try {
    const r = await within(timeoutMs, sql<{ n: number }>`select count(*)::int as n from ${sql.table(`${BOSS_SCHEMA}.queue`)} where name = ${RUN_QUEUE}`.execute(db));
    if (r.rows[0].n === 0) checks.queue = 'the run queue does not exist: run lmc migrate';
  } catch {
    checks.queue = 'the queue schema cannot be read: run lmc migrate';
  }
  return { ready: Object.values(checks).every((c) => c === 'ok'), checks };
}
