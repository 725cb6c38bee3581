import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema/index.ts';

export interface GroupSyncResult {
  /** automatic groups created */
  created: number;
  /** automatic groups removed (they had no member left) */
  removed: number;
}

/**
 * Brings an account's automatic groups in step with its users, in a handful of set-based statements
 * (no per-user work: an import of 1,000,000 users calls this once at its end):
 * - one 'field' group per distinct non-empty value of each group-able active field (users.fields->>name),
 * - one 'team' group per manager (not deleted) whose members are the manager's direct reports,
 * - members kept exact (missing ones inserted, stale ones deleted); deleted users are never members,
 * - automatic groups left without members are removed; custom groups are never touched.
 * Runs in the caller's transaction if given one, else in its own. Concurrent calls for one account queue.
 *
 * @example const { created, removed } = await syncAutomaticGroups(ctx.db, accountId);
 */
export async function syncAutomaticGroups(
  db: Kysely<DB> | Transaction<DB>,
  accountId: number,
  opts: SyncScope = {},
): Promise<GroupSyncResult> {
  if (db.isTransaction) return syncIn(db as Transaction<DB>, accountId, opts);
  return db.transaction().execute((trx) => syncIn(trx, accountId, opts));
}

export interface SyncScope {
  /**
   * Only these users changed (the admin API edits one user): their memberships and the teams they manage
   * are brought in step; without it the whole account is. Group creation and empty-group removal are the same.
   */
  userIds?: number[];
  /**
   * Like userIds, for large sets: the name of a table (typically a temp table of the caller's transaction)
   * with a `user_id` column listing the users that changed. An import that knows which rows it inserted,
   * updated or deleted passes them here and the sync reads only those users (and the teams they manage).
   */
  userIdsTable?: string;
  /** Called after each step with its duration (benchmarks, logs). */
  onStep?: (step: string, ms: number) => void;
}

async function syncIn(trx: Transaction<DB>, accountId: number, opts: SyncScope): Promise<GroupSyncResult> {
  if (opts.userIdsTable !== undefined && !/^[A-Za-z_][A-Za-z0-9_.]*$/.test(opts.userIdsTable)) throw new Error(`bad table name ${opts.userIdsTable}`);
  const set = opts.userIdsTable ? sql`(select user_id from ${sql.raw(opts.userIdsTable)})` : opts.userIds ? sql`(select unnest(${opts.userIds}::bigint[]))` : undefined;
  const ids = set !== undefined;
  const userScope = set ? sql`and u.id in ${set}` : sql``;
  const teamScope = set ? sql`and (u.id in ${set} or u.manager_id in ${set})` : sql``;
  const memberScope = set ? sql`and (m.user_id in ${set} or (g.kind = 'team' and g.manager_id in ${set}))` : sql``;
  let last = Date.now();
  const step = (name: string) => {
    const now = Date.now();
    opts.onStep?.(name, now - last);
    last = now;
  };
  // One sync per account at a time; the temp table below is per session (the transaction's connection).
  await sql`select pg_advisory_xact_lock(7310002, ${accountId}::int)`.execute(trx);
  // A whole account means hash joins over millions of (group, user) pairs: give them memory, and keep the
  // planner off nested loops (its row estimates for jsonb values are poor; a nested loop there costs
  // minutes at 1,000,000 users). The caller's settings come back at the end.
  const saved = await sql<{ wm: string; nl: string }>`select current_setting('work_mem') as wm, current_setting('enable_nestloop') as nl`.execute(trx);
  await sql`set local work_mem = '256MB'`.execute(trx);
  if (!ids) await sql`set local enable_nestloop = off`.execute(trx);
  await sql`drop table if exists pg_temp.lmc_sync_diff`.execute(trx);

  // 1. Groups that should exist and do not yet: a value of a group-able field held by a non-deleted user,
  //    a manager (not deleted) with a non-deleted direct report.
  const createdFields = await sql<{ n: number }>`
    with ins as (
      insert into user_groups (account_id, kind, name, field_id, field_value)
      select ${accountId}, 'field', v.field_name || ': ' || v.value, v.field_id, v.value
      from (
        -- per field, so each DISTINCT is a small in-memory hash (one over all pairs gets sorted: far slower)
        select f.id as field_id, f.name as field_name, x.value
        from active_fields f
        cross join lateral (
          select distinct u.fields ->> f.name as value from users u
          where u.account_id = f.account_id and u.state <> 'deleted' and coalesce(u.fields ->> f.name, '') <> '' ${userScope}) x
        where f.account_id = ${accountId} and f.groupable) v
      on conflict (field_id, field_value) where kind = 'field' do nothing
      returning 1)
    select count(*)::int as n from ins`.execute(trx);
  const createdTeams = await sql<{ n: number }>`
    with ins as (
      insert into user_groups (account_id, kind, name, manager_id)
      select ${accountId}, 'team', 'Team of ' || m.name, m.id
      from (select distinct u.manager_id from users u where u.account_id = ${accountId} and u.state <> 'deleted' and u.manager_id is not null ${teamScope}) t
      join users m on m.id = t.manager_id and m.state <> 'deleted'
      on conflict (manager_id) where kind = 'team' do nothing
      returning 1)
    select count(*)::int as n from ins`.execute(trx);
  step('create groups');
  // Keep names current (a renamed manager or field).
  await sql`
    update user_groups g set name = 'Team of ' || m.name
    from users m where g.account_id = ${accountId} and g.kind = 'team' and m.id = g.manager_id
      and g.name is distinct from 'Team of ' || m.name`.execute(trx);
  await sql`
    update user_groups g set name = f.name || ': ' || g.field_value
    from active_fields f where g.account_id = ${accountId} and g.kind = 'field' and f.id = g.field_id
      and g.name is distinct from f.name || ': ' || g.field_value`.execute(trx);
  step('rename groups');

  // 2. One pass comparing the memberships there should be with those there are (a full join): only the
  //    differences are kept, so an unchanged account writes nothing.
  await sql`
    create temp table lmc_sync_diff on commit drop as
    with field_values as materialized (
      select u.id as user_id, f.id as field_id, u.fields ->> f.name as value
      from users u join active_fields f on f.account_id = u.account_id and f.groupable
      where u.account_id = ${accountId} and u.state <> 'deleted' ${userScope}),
    desired as (
      select g.id as group_id, v.user_id
      from field_values v
      join user_groups g on g.kind = 'field' and g.field_id = v.field_id and g.field_value = v.value
      union all
      select g.id, u.id
      from users u
      join users m on m.id = u.manager_id and m.state <> 'deleted'
      join user_groups g on g.kind = 'team' and g.manager_id = u.manager_id
      where u.account_id = ${accountId} and u.state <> 'deleted' ${teamScope}),
    existing as (
      select m.group_id, m.user_id
      from user_group_members m join user_groups g on g.id = m.group_id
      where g.account_id = ${accountId} and g.kind in ('field', 'team') ${memberScope})
    select coalesce(d.group_id, x.group_id) as group_id, coalesce(d.user_id, x.user_id) as user_id, d.group_id is null as stale
    from desired d full join existing x on x.group_id = d.group_id and x.user_id = d.user_id
    where d.group_id is null or x.group_id is null`.execute(trx);
  step('compare members');
  await sql`
    delete from user_group_members m using lmc_sync_diff d
    where d.stale and m.group_id = d.group_id and m.user_id = d.user_id`.execute(trx);
  await sql`
    insert into user_group_members (group_id, user_id)
    select group_id, user_id from lmc_sync_diff where not stale
    on conflict do nothing`.execute(trx);
  step('write members');

  // 3. Automatic groups left without members go.
  const removed = await sql<{ n: number }>`
    with del as (
      delete from user_groups g
      where g.account_id = ${accountId} and g.kind in ('field', 'team')
        and not exists (select 1 from user_group_members m where m.group_id = g.id)
      returning 1)
    select count(*)::int as n from del`.execute(trx);
  step('remove empty groups');
  await sql`select set_config('work_mem', ${saved.rows[0].wm}, true), set_config('enable_nestloop', ${saved.rows[0].nl}, true)`.execute(trx);

  return { created: createdFields.rows[0].n + createdTeams.rows[0].n, removed: removed.rows[0].n };
}
