import type pg from 'pg';
import type { ImportPlanShape } from './import-options.ts';
import { buildPlan, MANAGER_IDS, PLAN, type PlanSummary } from './plan-changes.ts';
import { Passes, rejectUnknownManagers, ROWS } from './validate-rows.ts';

/**
 * Whether the graph after the import has no cycle, decided on the managers alone: every user on a cycle is
 * the manager of the next one, so a cycle runs through managers only, and the managers with their links
 * (the plan's new link for a manager in the files, the stored one for a user outside them) form a graph of
 * their own when each link leads to another manager or to no one. That graph is the plan's manager table, a
 * few percent of the rows: walked down from its roots, it is acyclic exactly when every manager is reached.
 * 'open' when a stored link leads outside the table (a manager outside the files whose own manager is not
 * named in them): the whole graph is walked then.
 */
async function managersAcyclic(client: pg.ClientBase): Promise<boolean | 'open'> {
  await materialiseGraph(client, MANAGER_GRAPH, `
      select k.uid as id, case when k.staged then m.uid else u.manager_id end as mid
      from ${MANAGER_IDS} k
      left join ${MANAGER_IDS} m on k.staged and m.em = k.mgr
      left join users u on not k.staged and u.id = k.uid
      where k.uid is not null`);
  const r = await client.query<{ open: boolean; ok: boolean }>(`
    ${walkDown(MANAGER_GRAPH)}
    select exists (select 1 from ${MANAGER_GRAPH} g where g.mid is not null and not exists (select 1 from ${MANAGER_GRAPH} h where h.id = g.mid)) as open,
      (select count(*) from reach) = (select count(*) from ${MANAGER_GRAPH}) as ok`);
  const { open, ok } = r.rows[0];
  return open ? 'open' : ok;
}

/**
 * The whole graph in one statement, nothing written: walking down from the users without manager reaches
 * every user of the graph (plan rows plus the account's other users). Each user has one manager, so a walk
 * reaches a user at most once and the counts are equal exactly when no user sits on or under a cycle.
 */
async function everyoneReached(client: pg.ClientBase, A: number): Promise<boolean> {
  // The planner's guess for a recursive walk is far off: it sorts the whole graph for a merge join at each
  // level (6 x 1,000,000 rows); a hash of the graph is built once and probed by each level's rows.
  const saved = (await client.query<{ v: string }>(`select current_setting('enable_mergejoin') as v`)).rows[0].v;
  await client.query(`set local enable_mergejoin = off`);
  await materialiseGraph(client, WHOLE_GRAPH, `
      select uid as id, new_manager_id as mid from ${PLAN}
      union all
      select u.id, u.manager_id from users u
      where u.account_id = ${A} and u.state <> 'deleted' and not exists (select 1 from ${PLAN} p where p.uid = u.id)`);
  const r = await client.query<{ ok: boolean }>(`
    ${walkDown(WHOLE_GRAPH)}
    select (select count(*) from reach) = (select count(*) from ${WHOLE_GRAPH}) as ok`);
  await client.query(`select set_config('enable_mergejoin', $1, true)`, [saved]);
  return r.rows[0].ok;
}

const MANAGER_GRAPH = 'lmc_ui_manager_graph';
const WHOLE_GRAPH = 'lmc_ui_whole_graph';

/**
 * The graph (id, mid: a user and their manager) as an indexed, analysed temp table rather than a CTE: the
 * planner has no statistics on a CTE's columns before PostgreSQL 17, guesses 200 distinct ids, and on 15 and
 * 16 turned the "manager outside the graph" anti join into a nested loop over two CTE scans (72 s at 125,000
 * managers, 0.2 s on 17). With an index and statistics every version picks a hash or an index lookup.
 */
async function materialiseGraph(client: pg.ClientBase, table: string, graph: string): Promise<void> {
  await client.query(`drop table if exists ${table}`);
  await client.query(`create temp table ${table} on commit drop as ${graph}`);
  await client.query(`create index on ${table} (id)`);
  await client.query(`create index on ${table} (mid)`);
  await client.query(`analyze ${table}`);
}

/**
 * The walk both checks make on a materialised graph: `reach`, the users reached going down from the roots
 * (no manager, or a manager outside the graph). A user on or under a cycle is never reached.
 */
function walkDown(table: string): string {
  return `
    with recursive reach(id) as (
      select g.id from ${table} g where g.mid is null or not exists (select 1 from ${table} h where h.id = g.mid)
      union all
      select g.id from ${table} g join reach r on g.mid = r.id)`;
}

/**
 * Detects manager cycles in the users' graph after the import (the plan's new links plus the links of the
 * account's other users): every user reachable downwards from a user without manager is fine (recursive
 * CTE); rows on a cycle are rejected naming the cycle, rows below a rejected new user follow as "unknown
 * manager", and the plan is rebuilt. Repeats until the graph is a forest (a rejected existing user keeps
 * its current manager, which may close another cycle).
 */
export async function rejectManagerCycles(
  client: pg.ClientBase,
  shape: ImportPlanShape,
  accountId: number,
  connectionId: number,
  passes: Passes,
  plan: PlanSummary,
): Promise<{ rejected: number; plan: PlanSummary }> {
  const A = Number(accountId);
  let rejected = 0;
  for (let round = 0; round < 20; round++) {
    if (!plan.newLinks) return { rejected, plan };
    const managers = await managersAcyclic(client);
    if (managers === true) return { rejected, plan };
    if (plan.mode.direct) {
      // A first import without plan: the search below walks every row's id, so the plan is built after all.
      plan = await buildPlan(client, shape, accountId, connectionId, { ...plan.mode, direct: false });
      continue;
    }
    if (managers === 'open' && (await everyoneReached(client, A))) return { rejected, plan };
    if (!plan.mode.complete) {
      // Every row on a cycle is named, the unchanged ones too: the plan is built again with them.
      plan = await buildPlan(client, shape, accountId, connectionId, { ...plan.mode, complete: true });
      continue;
    }
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
    if (unreached.rows[0].n === 0) return { rejected, plan };
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
    plan = await buildPlan(client, shape, accountId, connectionId, plan.mode);
  }
  return { rejected, plan };
}
