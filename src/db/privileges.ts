import type pg from 'pg';
import { DbErrors } from './errors.ts';

/** What the database user of DATABASE_URL may do, as far as lmc cares (docs/operations.md, "Database rights"). */
export interface DatabaseRights {
  user: string;
  database: string;
  superuser: boolean;
  /** CREATE on the database: pg-boss creates its own schema ("pgboss") at the first start. */
  createSchema: boolean;
  /** CREATE on schema public: the migrations create the product's tables there. */
  createInPublic: boolean;
  queueSchemaExists: boolean;
  /**
   * May the user import skip the per-row foreign-key triggers of its one big insert (SET
   * session_replication_role: a superuser, or PostgreSQL 15+ with `GRANT SET ON PARAMETER`)? See
   * src/platform/user-import/apply-changes.ts.
   */
  fastInsert: boolean;
}

export async function inspectDatabaseRights(client: Pick<pg.ClientBase, 'query'>, queueSchema = 'pgboss'): Promise<DatabaseRights> {
  const r = await client.query<Omit<DatabaseRights, 'fastInsert'> & { v: number }>(`
    select current_user as "user", current_database() as database,
      coalesce((select rolsuper from pg_roles where rolname = current_user), false) as superuser,
      has_database_privilege(current_database(), 'CREATE') as "createSchema",
      has_schema_privilege('public', 'CREATE') as "createInPublic",
      exists (select 1 from pg_namespace where nspname = $1) as "queueSchemaExists",
      current_setting('server_version_num')::int as v`, [queueSchema]);
  const { v, ...rights } = r.rows[0];
  let fastInsert = rights.superuser;
  if (!fastInsert && v >= 150000) {
    fastInsert = (await client.query<{ ok: boolean }>(`select has_parameter_privilege('session_replication_role', 'SET') as ok`)).rows[0].ok;
  }
  return { ...rights, fastInsert };
}

/** One sentence for the start log: which way the user import will insert new users, and why. */
export function importPathSentence(r: DatabaseRights): string {
  if (r.fastInsert) {
    return `user import: the fast insert path (foreign keys checked set-based; ${r.superuser ? `${r.user} is a superuser` : `${r.user} may SET session_replication_role`})`;
  }
  return `user import: the plain insert path (foreign keys checked row by row, ~40% slower for large first imports); for the fast one: GRANT SET ON PARAMETER session_replication_role TO ${r.user}`;
}

/**
 * Refuses, before migrating, a database where the migrations or the queue could not create what they need,
 * naming the GRANT that is missing (instead of pg-boss's or a migration's "permission denied" half-way).
 */
export function assertMayPrepare(r: DatabaseRights, pendingMigrations: number): void {
  const missing: string[] = [];
  if (pendingMigrations > 0 && !r.createInPublic) missing.push(`GRANT CREATE ON SCHEMA public TO ${r.user} (the ${pendingMigrations} pending migration(s) create tables)`);
  if (!r.queueSchemaExists && !r.createSchema) missing.push(`GRANT CREATE ON DATABASE ${r.database} TO ${r.user} (the job queue creates its schema "pgboss" once)`);
  if (missing.length) throw DbErrors.MISSING_PRIVILEGE.create(`as ${r.user} on database ${r.database}, lmc cannot prepare the database; run as an owner: ${missing.join('; ')}`);
}
