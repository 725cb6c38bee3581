import type { AppContext } from '../app-context.ts';

/**
 * Runs `fn` while holding a lock named `key` across every worker and process of this lmc (a PostgreSQL
 * session advisory lock on a connection of its own), or returns `{ busy: true }` at once when another holder
 * has it. For work that must not run twice at a time against one outside resource whatever the account, e.g.
 * two accounts exporting to the same vendor account. The lock goes with the connection if the process dies.
 * Connectors reach it as rc.platform.exclusive(key, fn).
 * @example const r = await withExclusiveLock(ctx, `workday:${host}|${tenant}`, () => exportSkills()); if (r.busy) throw ...
 */
export async function withExclusiveLock<T>(ctx: AppContext, key: string, fn: () => Promise<T>): Promise<{ busy: true } | { busy: false; value: T }> {
  const client = await ctx.pool.connect();
  let locked = false;
  try {
    // Two 32-bit halves of a 64-bit hash of the key: one advisory lock id per name.
    const r = await client.query<{ ok: boolean }>(`select pg_try_advisory_lock(hashtext($1), hashtext('lmc-exclusive:' || $1)) as ok`, [key]);
    locked = r.rows[0].ok;
    if (!locked) return { busy: true };
    return { busy: false, value: await fn() };
  } finally {
    if (locked) await client.query(`select pg_advisory_unlock(hashtext($1), hashtext('lmc-exclusive:' || $1))`, [key]).catch(() => undefined);
    client.release();
  }
}
