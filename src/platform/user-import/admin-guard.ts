import type pg from 'pg';
import type { EmailKeys } from './email-filter.ts';
import { ROWS } from './staging.ts';

/**
 * Administrators are protected from imports (issue 13): a user holding an admin role (admin, integration_admin)
 * - is never suspended or deleted as an absent user (absent-users.ts leaves them out and names them in the
 *   run's log);
 * - is taken over by a data source only explicitly: a row of the files whose email is an administrator that
 *   this connection does not own (made by hand, or owned by another data source) is rejected into the error
 *   report, naming the row, until an admin sets that user's data source to this connection
 *   (PATCH /api/v1/users/:id {"dataSourceId": ...}).
 * Set-based: the account's administrators are a handful, found through the partial index users_admins (whose
 * predicate this must repeat); the staged rows are read only when one of them may be in the files (the row
 * writers' e-mail filter answers "certainly not" for nearly every import).
 */
export const ADMIN_ROLES_SQL = `'{admin,integration_admin}'::text[]`;

export async function rejectAdminTakeovers(client: pg.ClientBase, accountId: number, connectionId: number, keys: EmailKeys): Promise<void> {
  const A = Number(accountId);
  const C = Number(connectionId);
  const admins = await client.query<{ em: string }>(`
    select lower(email) as em from users
    where account_id = ${A} and roles && ${ADMIN_ROLES_SQL} and data_source_id is distinct from ${C}`);
  const maybe = keys.needsDatabaseLower ? admins.rows : admins.rows.filter((a) => keys.mayContain(a.em));
  if (maybe.length === 0) return;
  await client.query(`
    update ${ROWS} r set reason_field = 'email', reason = 'the user is an administrator (' ||
        array_to_string(array(select case x when 'admin' then 'admin' else 'integration admin' end from unnest(u.roles) x where x = any(${ADMIN_ROLES_SQL})), ', ') ||
        ') who belongs to ' || case when u.data_source_id is null then 'no data source' else 'another data source' end ||
        ': an import never takes an administrator over; to import this user, an admin first sets its data source to this connection'
    from users u
    where u.account_id = ${A} and u.roles && ${ADMIN_ROLES_SQL} and u.data_source_id is distinct from ${C}
      and lower(u.email) = r.em and r.em = any($1::text[]) and r.included and r.reason is null`, [maybe.map((a) => a.em)]);
}
