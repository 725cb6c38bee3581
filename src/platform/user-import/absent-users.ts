import type pg from 'pg';
import { ADMIN_ROLES_SQL } from './admin-guard.ts';
import { REMOVED, ROWS } from './staging.ts';

export const ABSENT = 'lmc_ui_absent';

/**
 * Users owned by this connection (users.data_source_id) whose email is in none of the files, when the
 * option says to suspend or delete them; returns how many and (when some are) how many the connection owns.
 * Administrators (admin-guard.ts) are never among them: those absent are returned apart (`adminsKept`), for
 * the run's log.
 */
export async function findAbsentUsers(
  client: pg.ClientBase,
  accountId: number,
  connectionId: number,
  mode: 'keep' | 'suspend' | 'delete',
  /** absent: not in the staged rows (a full read); removed: reported removed by a delta read (staging-source.ts) and not staged again. */
  scope: 'absent' | 'removed' = 'absent',
): Promise<{ absent: number; owned: number; adminsKept: string[] }> {
  const A = Number(accountId);
  const C = Number(connectionId);
  const states = mode === 'delete' ? `('active', 'suspended')` : `('active')`;
  await client.query(`drop table if exists ${ABSENT}`);
  // removed: the users of the few ids a delta read reported removed, found once from those ids (an array the
  // statement computes first) and then fetched by primary key. As a semi-join the planner, with no statistics
  // on freshly imported users, probed user_source_ids for every user of the connection, each probe scanning the
  // connection's ids: quadratic, 1.1 to 3.2 s of a 50-worker incremental Workday run at 5,000 workers.
  await client.query(`
    create temp table ${ABSENT} on commit drop as
    select u.id, u.email, u.state, u.roles && ${ADMIN_ROLES_SQL} as admin from users u
    where ${mode === 'keep' ? 'false' : 'true'} and u.account_id = ${A} and u.data_source_id = ${C} and u.state in ${states}
      and not exists (select 1 from ${ROWS} r where r.em = lower(u.email))
      ${scope === 'removed' ? `and u.id = any(array(select s.user_id from ${REMOVED} d join user_source_ids s on s.connection_id = ${C} and s.source_id = d.source_id))` : ''}`);
  // Out of the same pass over the source's users: no second read of the staged rows for the administrators.
  const kept = await client.query<{ email: string }>(`delete from ${ABSENT} where admin returning email`);
  const adminsKept = kept.rows.map((r) => r.email).sort();
  const absent = await client.query(`select count(*)::int as n from ${ABSENT}`);
  // The share of the source's users is only asked when some are absent (counting them reads every row).
  if (absent.rows[0].n === 0) return { absent: 0, owned: 0, adminsKept };
  const owned = await client.query(`select count(*)::int as n from users where account_id = ${A} and data_source_id = ${C} and state <> 'deleted'`);
  return { absent: absent.rows[0].n, owned: owned.rows[0].n, adminsKept };
}
