import { openDatabase } from './database.ts';
import { migrateToLatest, pendingMigrations } from './migrate.ts';
import { assertMayPrepare, inspectDatabaseRights, type DatabaseRights } from './privileges.ts';
import { assertSupportedServer } from './server-version.ts';
import { BOSS_SCHEMA, installQueue } from '../engine/queue.ts';

/**
 * Brings a database to the current schema: the product's migrations, then what other components keep in
 * the same database (the job queue's schema). Used by `lmc migrate`, at start, and for the test template.
 * Returns the migrations it applied and what the database user may do (checked first: a missing GRANT is
 * named before anything is created).
 */
export async function prepareDatabase(url: string): Promise<{ applied: string[]; rights: DatabaseRights }> {
  const h = openDatabase(url, { max: 2 });
  let applied: string[];
  let rights: DatabaseRights;
  try {
    await assertSupportedServer(h.pool);
    rights = await inspectDatabaseRights(h.pool, BOSS_SCHEMA);
    const pending = await pendingMigrations(h.db);
    assertMayPrepare(rights, pending.length);
    const r = await migrateToLatest(h.db);
    applied = (r.results ?? []).filter((x) => x.status === 'Success').map((x) => x.migrationName);
  } finally {
    await h.close();
  }
  await installQueue(url);
  return { applied, rights };
}
