import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema/index.ts';

/**
 * Runs a bulk load with the tables' secondary indexes dropped, then rebuilds them (a sorted build is many
 * times faster than maintaining several b-trees row by row once they outgrow shared buffers). Indexes that
 * back a constraint (primary keys, UNIQUE constraints used by ON CONFLICT) stay. All of it is transactional:
 * other sessions never see the table without its indexes (they wait on the lock until commit).
 * Only worth it when the load is large compared with what the table holds.
 */
export async function withSecondaryIndexesDeferred<T>(trx: Transaction<DB>, tables: string[], fn: () => Promise<T>): Promise<T> {
  const r = await sql<{ indexname: string; indexdef: string }>`
    select i.indexname, i.indexdef from pg_indexes i
    where i.schemaname = current_schema() and i.tablename = any(${tables}::text[])
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname and c.conrelid = (quote_ident(i.tablename))::regclass)
    order by i.indexname`.execute(trx);
  for (const ix of r.rows) await sql`drop index ${sql.id(ix.indexname)}`.execute(trx);
  const out = await fn();
  await sql`set local maintenance_work_mem = '512MB'`.execute(trx);
  for (const ix of r.rows) await sql.raw(ix.indexdef).execute(trx);
  return out;
}

/** Whether `rows` new rows are enough (and large against the table's current size) to defer its indexes. */
export async function isBulkLoad(trx: Transaction<DB>, table: string, rows: number): Promise<boolean> {
  if (rows < 200_000) return false;
  const r = await sql<{ n: number }>`select greatest(reltuples, 0)::float8 as n from pg_class where oid = ${table}::regclass`.execute(trx);
  return rows >= Number(r.rows[0]?.n ?? 0);
}
