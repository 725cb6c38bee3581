import type pg from 'pg';
import { ROWS } from './staging.ts';

export const ABSENT = 'lmc_ui_absent';

/**
 * Users owned by this connection (users.data_source_id) whose email is in none of the files, when the
 * option says to suspend or delete them; returns how many and (when some are) how many the connection owns.
 */
export async function findAbsentUsers(client: pg.ClientBase, accountId: number, connectionId: number, mode: 'keep' | 'suspend' | 'delete'): Promise<{ absent: number; owned: number }> {
  const A = Number(accountId);
  const C = Number(connectionId);
  const states = mode === 'delete' ? `('active', 'suspended')` : `('active')`;
  await client.query(`drop table if exists ${ABSENT}`);
  await client.query(`
    create temp table ${ABSENT} on commit drop as
    select u.id, u.email, u.state from users u
    where ${mode === 'keep' ? 'false' : 'true'} and u.account_id = ${A} and u.data_source_id = ${C} and u.state in ${states}
      and not exists (select 1 from ${ROWS} r where r.em = lower(u.email))`);
  const absent = await client.query(`select count(*)::int as n from ${ABSENT}`);
  // The share of the source's users is only asked when some are absent (counting them reads every row).
  if (absent.rows[0].n === 0) return { absent: 0, owned: 0 };
  const owned = await client.query(`select count(*)::int as n from users where account_id = ${A} and data_source_id = ${C} and state <> 'deleted'`);
  return { absent: absent.rows[0].n, owned: owned.rows[0].n };
}
