import type pg from 'pg';
import type { ImportPlanShape } from './import-options.ts';
import { litOf, Passes, rejectUnknownManagers, ROWS } from './validate-rows.ts';

export const PLAN = 'lmc_ui_plan';

/** Plan columns kept only for rows that change (create, update). */
const WIDE = ['email', 'name', 'mgr', 'old_email', 'old_name', 'old_user_type', 'new_user_type', 'old_state', 'old_source', 'old_profile', 'old_fields'];

/**
 * The plan: one row per valid, included CSV row with the user's current state (old_*), the id it keeps or
 * gets (ids of new users are taken from the users sequence now, so managers that are new too can be linked
 * in the same INSERT), the resolved manager id, the new profile/fields documents and the action:
 * create, update (something differs) or unchanged (nothing is rewritten).
 */
export async function buildPlan(client: pg.ClientBase, shape: ImportPlanShape, accountId: number, connectionId: number): Promise<void> {
  const lit = litOf(client);
  const A = Number(accountId);
  const seq = (await client.query<{ s: string }>(`select pg_get_serial_sequence('users', 'id') as s`)).rows[0].s;
  const keys = (xs: string[]) => `array[${xs.map(lit).join(', ')}]::text[]`;
  // The imported documents come parsed from the staging rows (row-writer.ts). A new user's documents are
  // just those; an updated user's are the old ones with the imported keys replaced.
  const merged = (old: string, drop: string[], fresh: string) =>
    drop.length ? `case when ${old} is null then ${fresh} else (${old} - ${keys(drop)}) || ${fresh} end` : `coalesce(${old}, '{}'::jsonb)`;
  const at = (t: string) => ({
    profile: merged(`${t}.old_profile`, shape.profile.map((p) => p.key), `${t}.profile_doc::jsonb`),
    fields: merged(`${t}.old_fields`, dropFields, `${t}.fields_doc::jsonb`),
  });
  const dropFields = [...shape.fields.map((f) => f.name), ...shape.deleteFields.map((f) => f.name)];
  const pcols = shape.profile.map((_, i) => `r.p${i}`);
  const fcols = shape.fields.map((_, i) => `r.f${i}`);
  // Whether the documents change, compared key by key: no JSON is built for the rows that stay the same.
  const profileDiff = shape.profile.map((p, i) => `x.old_profile ->> ${lit(p.key)} is distinct from x.p${i}`);
  const fieldsDiff = [...shape.fields.map((f, i) => `x.old_fields ->> ${lit(f.name)} is distinct from x.f${i}`), ...shape.deleteFields.map((f) => `x.old_fields ? ${lit(f.name)}`)];
  const anyDiff = [...profileDiff, ...fieldsDiff].join(' or ') || 'false';
  await client.query(`drop table if exists ${PLAN}`);
  await client.query(`
    create temp table ${PLAN} on commit drop as
    -- ids: the key of each valid row, its user's id if it exists and the id it keeps or gets. Narrow (read
    -- twice: the row itself, the row's manager); the user's current values (old_*) are joined once below.
    with ids as materialized (
      select r.em, u.id as old_id, coalesce(u.id, nextval(${lit(seq)})) as uid
      from ${ROWS} r left join users u on u.account_id = ${A} and lower(u.email) = r.em
      where r.included and r.reason is null)
    select file_no, line, em, uid, old_id, old_manager_id, new_manager_id, mgr is not null as has_mgr, action,
      -- the values only where something changes: an unchanged row (most of a re-import) needs none of them
      ${WIDE.map((c) => `case when action <> 'unchanged' then y.${c} end as ${c}`).join(', ')},
      case when action <> 'unchanged' then ${at('y').profile} end as new_profile,
      case when action <> 'unchanged' then ${at('y').fields} end as new_fields
    from (
      select x.*,
        case when x.old_id is null then 'create'
          when x.old_name is distinct from x.name or x.old_manager_id is distinct from x.new_manager_id
            or x.old_user_type is distinct from x.new_user_type or x.old_state <> 'active' or x.old_source is distinct from ${Number(connectionId)}
            or x.old_email is distinct from x.email or ${anyDiff}
          then 'update' else 'unchanged' end as action
      from (
        -- a manager outside the files is looked up by index, only for the rows that need it
        select r.file_no, r.line, r.email, r.em, r.name, r.mgr, r.user_type, r.profile_doc, r.fields_doc ${[...pcols, ...fcols].map((c) => ', ' + c).join('')},
          i.old_id, u.email as old_email, u.name as old_name, u.manager_id as old_manager_id, u.user_type as old_user_type,
          u.state as old_state, u.profile as old_profile, u.fields as old_fields, u.data_source_id as old_source, i.uid,
          coalesce(m.uid, (select mu.id from users mu where mu.account_id = ${A} and lower(mu.email) = r.mgr and mu.state <> 'deleted')) as new_manager_id,
          coalesce(r.user_type, u.user_type, 'internal') as new_user_type
        from ${ROWS} r
        join ids i on i.em = r.em
        left join ids m on m.em = r.mgr
        left join users u on u.account_id = ${A} and u.id = i.old_id
        where r.included and r.reason is null
        offset 0 -- computed once per row, not again for each use in the CASE above
      ) x offset 0
    ) y`);
  await client.query(`analyze ${PLAN}`);
}

/** Whether any manager link would change (then a cycle is possible; the platform's own links have none). */
async function anyNewLink(client: pg.ClientBase): Promise<boolean> {
  const r = await client.query(`select exists (select 1 from ${PLAN} where action = 'create' or old_manager_id is distinct from new_manager_id) as x`);
  return r.rows[0].x as boolean;
}

/**
 * The common case in one statement, nothing written: walking down from the users without manager reaches
 * every user of the graph (plan rows plus the account's other users). Each user has one manager, so a walk
 * reaches a user at most once and the counts are equal exactly when no user sits on or under a cycle.
 */
async function everyoneReached(client: pg.ClientBase, A: number): Promise<boolean> {
  // The planner's guess for a recursive walk is far off: it sorts the whole graph for a merge join at each
  // level (6 x 1,000,000 rows); a hash of the graph is built once and probed by each level's rows.
  const saved = (await client.query<{ v: string }>(`select current_setting('enable_mergejoin') as v`)).rows[0].v;
  await client.query(`set local enable_mergejoin = off`);
  const r = await client.query<{ ok: boolean }>(`
    with recursive graph as materialized (
      select uid as id, new_manager_id as mid from ${PLAN}
      union all
      select u.id, u.manager_id from users u
      where u.account_id = ${A} and u.state <> 'deleted' and not exists (select 1 from ${PLAN} p where p.uid = u.id)),
    reach(id) as (
      select g.id from graph g where g.mid is null or not exists (select 1 from graph h where h.id = g.mid)
      union all
      select g.id from graph g join reach r on g.mid = r.id)
    select (select count(*) from reach) = (select count(*) from graph) as ok`);
  await client.query(`select set_config('enable_mergejoin', $1, true)`, [saved]);
  return r.rows[0].ok;
}

/**
 * Detects manager cycles in the users' graph after the import (the plan's new links plus the links of the
 * account's other users): every user reachable downwards from a user without manager is fine (recursive
 * CTE); rows on a cycle are rejected naming the cycle, rows below a rejected new user follow as "unknown
 * manager", and the plan is rebuilt. Repeats until the graph is a forest (a rejected existing user keeps
 * its current manager, which may close another cycle).
 */
export async function rejectManagerCycles(client: pg.ClientBase, shape: ImportPlanShape, accountId: number, connectionId: number, passes: Passes): Promise<number> {
  const A = Number(accountId);
  let rejected = 0;
  for (let round = 0; round < 20; round++) {
    if (!(await anyNewLink(client))) return rejected;
    if (await everyoneReached(client, A)) return rejected;
    await client.query(`drop table if exists lmc_ui_graph, lmc_ui_reach`);
    await client.query(`create index if not exists lmc_ui_plan_uid on ${PLAN} (uid)`);
    await client.query(`
      create temp table lmc_ui_graph on commit drop as
      select uid as id, new_manager_id as mid, em, true as staged from ${PLAN}
      union all
      select u.id, u.manager_id, lower(u.email), false from users u
      where u.account_id = ${A} and u.state <> 'deleted' and not exists (select 1 from ${PLAN} p where p.uid = u.id)`);
    await client.query(`create index on lmc_ui_graph (mid)`);
    await client.query(`create index on lmc_ui_graph (id)`);
    await client.query(`analyze lmc_ui_graph`);
    await client.query(`
      create temp table lmc_ui_reach on commit drop as
      with recursive reach(id) as (
        select g.id from lmc_ui_graph g where g.mid is null or not exists (select 1 from lmc_ui_graph h where h.id = g.mid)
        union all
        select g.id from lmc_ui_graph g join reach r on g.mid = r.id
      ) select id from reach`);
    await client.query(`create index on lmc_ui_reach (id)`);
    const unreached = await client.query(`select count(*)::int as n from ${PLAN} p where not exists (select 1 from lmc_ui_reach r where r.id = p.uid)`);
    if (unreached.rows[0].n === 0) return rejected;
    const pass = passes.next();
    // Walk up from each unreached row; the rows whose walk comes back to themselves are on a cycle.
    const onCycle = await client.query(`
      with recursive up(start, id, mid, chain) as (
        select p.uid, p.uid, p.new_manager_id, array[p.em] from ${PLAN} p
        where not exists (select 1 from lmc_ui_reach r where r.id = p.uid)
        union all
        select up.start, g.id, g.mid, up.chain || g.em from up join lmc_ui_graph g on g.id = up.mid
      ) cycle id set is_cycle using path,
      c as (select distinct on (start) start, chain from up where is_cycle and id = start)
      update ${ROWS} r set reason = 'manager cycle: ' || array_to_string(c.chain, ' -> '), reason_field = 'manager', rej_pass = ${pass}
      from c join ${PLAN} p on p.uid = c.start
      where r.file_no = p.file_no and r.line = p.line`);
    let n = onCycle.rowCount ?? 0;
    if (n === 0) {
      const rest = await client.query(`
        update ${ROWS} r set reason = 'the manager chain leads into a manager cycle', reason_field = 'manager', rej_pass = ${pass}
        from ${PLAN} p where r.file_no = p.file_no and r.line = p.line and not exists (select 1 from lmc_ui_reach x where x.id = p.uid)`);
      n = rest.rowCount ?? 0;
    }
    rejected += n + (await rejectUnknownManagers(client, accountId, pass, passes));
    await buildPlan(client, shape, accountId, connectionId);
  }
  return rejected;
}

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
