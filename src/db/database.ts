import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { DB } from './schema/index.ts';

// int8 (bigint ids, counts) as JS numbers: every id and count we keep stays far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// numeric (prices, scores, credits) as numbers too; none needs more than double precision.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export type Database = Kysely<DB>;

export interface DatabaseHandle {
  db: Database;
  pool: pg.Pool;
  url: string;
  close(): Promise<void>;
}

/**
 * Opens a pool and a Kysely instance on `url`.
 * @example const { db, close } = openDatabase(process.env.DATABASE_URL!); await db.selectFrom('accounts').selectAll().execute();
 */
export function openDatabase(url: string, opts: { max?: number; applicationName?: string } = {}): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, application_name: opts.applicationName ?? 'lmc' });
  // An idle client that loses its server (restart, kill) must not crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    url,
    close: async () => {
      await db.destroy();
    },
  };
}

/** Returns `url` with its database name replaced. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = '/' + database;
  return u.toString();
}
