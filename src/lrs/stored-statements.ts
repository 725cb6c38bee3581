import type pg from 'pg';

/**
 * The stored statements of an account among `ids` (lower-case UUIDs), by id. For writers that need to
 * know beforehand which statements are new, e.g. the CSV import counting created vs unchanged rows and
 * rejecting one row (not its whole batch) whose id holds a different statement.
 * @example const known = await findStoredStatements(ctx.pool, 1, ['0b4f…']);
 */
export async function findStoredStatements(pool: pg.Pool, accountId: number, ids: string[]): Promise<Map<string, Record<string, any>>> {
  if (ids.length === 0) return new Map();
  const r = await pool.query<{ id: string; statement: Record<string, any> }>(
    'select id::text, statement from lrs_statements where account_id = $1 and id = any($2::uuid[])',
    [accountId, ids],
  );
  return new Map(r.rows.map((x) => [x.id, x.statement]));
}
