import type pg from 'pg';
import { DbErrors } from './errors.ts';

/** The oldest PostgreSQL major lmc runs on (15, 16, 17 and 18 are tested: docs/operations.md). */
export const MIN_SERVER_VERSION_NUM = 150000;

/**
 * Refuses a server older than PostgreSQL 15 (the majors the PostgreSQL project still maintains), in one
 * sentence naming the version found and the ones supported. `num` is server_version_num (170004 for 17.4).
 */
export function checkServerVersion(num: number, version: string): void {
  if (!Number.isInteger(num) || num >= MIN_SERVER_VERSION_NUM) return;
  throw DbErrors.UNSUPPORTED_VERSION.create(
    `the database server runs PostgreSQL ${version}; lmc needs PostgreSQL 15, 16, 17 or 18 (upgrade the server or point DATABASE_URL at a newer one)`,
  );
}

/** Asks the server its version and refuses it when too old (at start, before any migration). */
export async function assertSupportedServer(client: Pick<pg.ClientBase, 'query'>): Promise<number> {
  const r = await client.query<{ num: string; version: string }>(
    `select current_setting('server_version_num') as num, current_setting('server_version') as version`,
  );
  const num = Number(r.rows[0].num);
  checkServerVersion(num, r.rows[0].version.split(' ')[0]);
  return num;
}
