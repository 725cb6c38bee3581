import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema/index.ts';

/**
 * SQL-side randomness: a uniform number in [0, 1) from (key, seed, salt), via PostgreSQL's
 * hashint8extended. Deterministic for a seed; every column uses its own salt so they are independent.
 * The arguments are integers we compute (never user text), so they are written into the statement.
 */
export function sqlRand(seed: number, salt: number, keyExpr: string): string {
  return `((hashint8extended((${keyExpr})::bigint, ${BigInt(seed) * 7919n + BigInt(salt)}) & 2147483647)::float8 / 2147483648.0)`;
}

/** `array['a','b'][1 + floor(r * n)]`: picks from a list of plain words with a SQL random. */
export function sqlPick(list: readonly string[], r: string): string {
  return `(array[${list.map((w) => `'${w.replace(/'/g, "''")}'`).join(',')}])[1 + floor(${r} * ${list.length})::int]`;
}

/**
 * Reserves `n` consecutive ids of a table's identity column, so set-based inserts can compute references
 * (a user's manager, an enrollment's path) without reading ids back. The table is locked against other
 * writers until the transaction ends, so nobody takes an id in between.
 */
export async function reserveIds(trx: Transaction<DB>, table: string, n: number): Promise<number> {
  if (!/^[a-z_]+$/.test(table)) throw new Error(`bad table ${table}`);
  await sql.raw(`lock table ${table} in exclusive mode`).execute(trx);
  const r = await sql<{ base: number }>`select nextval(pg_get_serial_sequence(${table}, 'id')) as base`.execute(trx);
  const base = Number(r.rows[0].base);
  if (n > 1) await sql`select setval(pg_get_serial_sequence(${table}, 'id'), ${base + n - 1})`.execute(trx);
  return base;
}

/** Inserts rows given as JSON objects in one statement (jsonb_to_recordset), ids included. */
export async function insertJson(trx: Transaction<DB>, table: string, columns: Record<string, string>, rows: object[]): Promise<void> {
  const cols = Object.keys(columns);
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000);
    const defs = cols.map((c) => `${c} ${columns[c]}`).join(', ');
    const overriding = cols.includes('id') ? 'overriding system value' : '';
    await sql`${sql.raw(`insert into ${table} (${cols.join(', ')}) ${overriding} select ${cols.join(', ')} from jsonb_to_recordset(`)}${JSON.stringify(chunk)}${sql.raw(`::jsonb) as x(${defs})`)}`.execute(trx);
  }
}
