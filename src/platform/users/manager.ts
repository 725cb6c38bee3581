import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema/index.ts';
import { UserErrors } from '../errors.ts';

type Db = Database | Transaction<DB>;

/** A manager given by id or email (case-insensitive), resolved within the account. */
export async function resolveManager(db: Db, accountId: number, ref: number | string): Promise<number> {
  let q = db.selectFrom('users').select('id').where('account_id', '=', accountId);
  q = typeof ref === 'number' || /^\d+$/.test(ref) ? q.where('id', '=', Number(ref)) : q.where(sql`lower(email)`, '=', ref.toLowerCase());
  const row = await q.executeTakeFirst();
  if (!row) throw UserErrors.MANAGER_NOT_FOUND.create({ detail: String(ref), field: 'manager' });
  return row.id;
}

/**
 * Refuses a manager that would close a reporting cycle: walks up from the new manager (a recursive CTE;
 * UNION stops on a cycle already in the data) and fails if it meets the user.
 */
export async function assertNoManagerCycle(db: Db, userId: number, managerId: number): Promise<void> {
  if (userId === managerId) throw UserErrors.MANAGER_CYCLE.create({ detail: 'a user cannot manage themself', field: 'manager' });
  const r = await sql<{ hit: number }>`
    with recursive up(id) as (
      select ${managerId}::bigint
      union
      select u.manager_id from users u join up on u.id = up.id where u.manager_id is not null)
    select 1 as hit from up where id = ${userId} limit 1`.execute(db);
  if (r.rows.length > 0) throw UserErrors.MANAGER_CYCLE.create({ detail: `user ${managerId} reports (directly or not) to user ${userId}`, field: 'manager' });
}
