import type pg from 'pg';
import type { ImportPlanShape, UserImportFilters } from './import-options.ts';
import { RAW, col } from './staging.ts';

export const ROWS = 'lmc_ui_rows';

/** Quotes a value as an SQL literal (statements here are built once per run, never per row). */
export type Lit = (v: string) => string;
export const litOf = (client: pg.ClientBase): Lit => (v) => (client as pg.Client).escapeLiteral(v);

const EMAIL_RE = `'^[^@[:space:],;<>"]+@[^@[:space:],;<>"]+\\.[^@[:space:],;<>"]+$'`;

/**
 * Builds the normalized row table from the raw staging table in one pass: trimmed values (empty -> null),
 * lowercased email keys, whether the value filters keep the row, and the first reason to reject it
 * (ragged row, missing or invalid email, missing name, bad user type, manager not an email, own manager).
 */
export async function normalizeRows(client: pg.ClientBase, shape: ImportPlanShape, filters: UserImportFilters): Promise<void> {
  const lit = litOf(client);
  const k = (column: string) => col(shape.requiredColumns.findIndex((c) => c.toLowerCase() === column.toLowerCase()));
  const v = (column: string) => `nullif(btrim(${k(column)}), '')`;
  const email = v(shape.email);
  const name = v(shape.name);
  const mgr = `lower(${v(shape.manager)})`;
  const type = shape.userType ? `lower(${v(shape.userType)})` : 'null::text';
  const profile = shape.profile.map((p, i) => `${v(p.column)} as p${i}`);
  const fields = shape.fields.map((f, i) => `${v(f.column)} as f${i}`);
  const valueFilter = filters.values.length
    ? filters.values.map((f) => `coalesce(btrim(${k(f.column)}) = any(array[${f.values.map((x) => lit(x.trim())).join(', ')}]::text[]), false)`).join(' and ')
    : 'true';
  // Each value is trimmed and tested once: the inner subqueries (OFFSET 0 keeps them from being merged
  // into the outer one) compute what the CASEs below read.
  await client.query(`
    create temp table ${ROWS} on commit drop as
    select file_no, line, email, lower(email) as em, name, mgr, user_type ${[...shape.profile.map((_, i) => `p${i}`), ...shape.fields.map((_, i) => `f${i}`)].map((c) => ', ' + c).join('')},
      included,
      case
        when problem is not null then problem
        when email is null then 'missing email'
        when not email_ok then 'invalid email address "' || email || '"'
        when name is null then 'missing required value: name'
        when user_type is not null and user_type not in ('internal', 'external') then 'invalid user type "' || user_type || '" (internal or external)'
        when mgr is not null and not mgr_ok then 'the manager "' || mgr || '" is not an email address'
        when mgr = lower(email) then 'manager cycle: the user is their own manager'
      end as reason,
      case
        when problem is not null then null
        when email is null or not email_ok then 'email'
        when name is null then 'name'
        when user_type is not null and user_type not in ('internal', 'external') then 'user type'
        else 'manager'
      end as reason_field,
      0 as rej_pass
    from (
      select *, email ~ ${EMAIL_RE} as email_ok, mgr ~ ${EMAIL_RE} as mgr_ok
      from (
        select file_no, line, problem, ${email} as email, ${name} as name, ${mgr} as mgr, ${type} as user_type,
          ${[...profile, ...fields].map((x) => x + ',').join(' ')}
          ${valueFilter} as included
        from ${RAW} offset 0
      ) t offset 0
    ) s`);
  await client.query(`analyze ${ROWS}`);
}

/** Rejects every occurrence of an email present more than once (in one file or across files), naming all places. */
export async function rejectDuplicates(client: pg.ClientBase, fileNames: string[]): Promise<void> {
  const lit = litOf(client);
  const names = `array[${fileNames.map(lit).join(', ')}]::text[]`;
  await client.query(`
    with d as (select em from ${ROWS} where em is not null and included group by em having count(*) > 1),
    places as (
      select r.em, string_agg((${names})[r.file_no] || ' line ' || r.line, ', ' order by r.file_no, r.line) as at
      from ${ROWS} r join d on d.em = r.em where r.included group by r.em)
    update ${ROWS} r set reason = 'the user appears more than once: ' || p.at, reason_field = 'email'
    from places p where r.em = p.em and r.included and (r.reason is null or r.reason not like 'expected % fields%')`);
}

/**
 * The hierarchy filter: keeps only rows under the given managers (transitively through the manager
 * column, the managers' own rows included); the rest are skipped. Rows are followed even when they will be
 * rejected, so a broken row inside the hierarchy is reported rather than silently skipped.
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
  await client.query(`update ${ROWS} r set included = false where r.included and (r.em is null or not exists (select 1 from lmc_ui_under u where u.em = r.em))`);
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
