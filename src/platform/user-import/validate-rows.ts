import type pg from 'pg';
import { ROWS } from './staging.ts';

export { ROWS };

/** Quotes a value as an SQL literal (statements here are built once per run, never per row). */
export type Lit = (v: string) => string;
export const litOf = (client: pg.ClientBase): Lit => (v) => (client as pg.Client).escapeLiteral(v);

/**
 * Completes the staged rows (the source's row writer normalized them as they were copied): when some key holds
 * non-ASCII bytes (or the database folds ASCII its own way), the "own manager" check is the database's, with
 * its lower(); then statistics for the planner.
 */
export async function finishRows(client: pg.ClientBase, databaseLower: boolean): Promise<void> {
  if (databaseLower) {
    await client.query(`
      update ${ROWS} set reason = 'manager cycle: the user is their own manager', reason_field = 'manager'
      where reason is null and mgr = em`);
  }
  // Statistics of the columns the plans join and filter on (not of the documents: sampling them costs).
  await client.query(`analyze ${ROWS} (em, mgr, included, reason, file_no, line)`);
}

/**
 * Rejects every occurrence of an email present more than once (in one file or across files), naming all places.
 * An address already refused (invalid, or outside ASCII) names no user: it keeps its own reason, and how the
 * database's lower() folds non-ASCII letters (it depends on the server's locale) cannot change the outcome.
 */
export async function rejectDuplicates(client: pg.ClientBase, place: string): Promise<void> {
  // place: where a row r is, for the message ("<file> line <n>", a vendor's record id: the source says).
  const usable = `r.em is not null and r.included and r.reason_field is distinct from 'email'`;
  await client.query(`
    with d as (select r.em from ${ROWS} r where ${usable} group by r.em having count(*) > 1),
    places as (
      select r.em, string_agg(${place}, ', ' order by r.file_no, r.line) as at
      from ${ROWS} r join d on d.em = r.em where ${usable} group by r.em)
    update ${ROWS} r set reason = 'the user appears more than once: ' || p.at, reason_field = 'email'
    from places p where r.em = p.em and ${usable} and not r.malformed`);
}

/**
 * The hierarchy filter: keeps only rows under the given managers (transitively through the manager
 * column, the managers' own rows included); the rest are skipped. Rows are followed even when they will be
 * rejected, so a broken row inside the hierarchy is reported rather than silently skipped. A malformed row
 * (ragged, NUL byte) stays in: nothing of it can be read to place it, and it is always a reject.
 */
export async function applyHierarchyFilter(client: pg.ClientBase, managers: string[]): Promise<void> {
  if (!managers.length) return;
  const lit = litOf(client);
  await client.query(`
    create temp table lmc_ui_under on commit drop as
    with recursive sub(em) as (
      select lower(btrim(m)) from unnest(array[${managers.map(lit).join(', ')}]::text[]) m
      union
      select r.em from ${ROWS} r join sub on r.mgr = sub.em where r.em is not null and r.included and r.em <> r.mgr
    ) select distinct em from sub`);
  await client.query(`update ${ROWS} r set included = false where r.included and not r.malformed and (r.em is null or not exists (select 1 from lmc_ui_under u where u.em = r.em))`);
}

/** Hands out reject pass numbers: each reject step marks its rows, so a cascade looks only at them. */
export class Passes {
  private n = 0;
  next(): number {
    return ++this.n;
  }
}

/**
 * Rejects rows whose manager is neither a valid row of this import nor a (not deleted) user of the
 * account. A manager whose row a filter left out is not unknown: the link goes to the existing user, or
 * stays empty when there is none (the top of a hierarchy filter reports to someone outside it). Repeated for rows whose manager's row was rejected in the previous pass, until none is left.
 * `fromPass`: only look at managers rejected in that pass (0 = every row).
 */
export async function rejectUnknownManagers(client: pg.ClientBase, accountId: number, fromPass: number, passes: Passes): Promise<number> {
  let total = 0;
  let prev = fromPass;
  for (;;) {
    const p = passes.next();
    const scope = prev === 0 ? '' : `and r.mgr in (select em from ${ROWS} where rej_pass = ${prev} and em is not null)`;
    const res = await client.query(`
      update ${ROWS} r set reason = 'unknown manager "' || r.mgr || '": not a valid row of the files nor a user of the account', reason_field = 'manager', rej_pass = ${p}
      where r.included and r.reason is null and r.mgr is not null ${scope}
        and not exists (select 1 from ${ROWS} m where m.em = r.mgr and (not m.included or m.reason is null))
        and not exists (select 1 from users u where u.account_id = ${Number(accountId)} and lower(u.email) = r.mgr and u.state <> 'deleted')`);
    const n = res.rowCount ?? 0;
    if (n === 0) return total;
    total += n;
    prev = p;
  }
}
