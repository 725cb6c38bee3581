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
}

async function syncIn(trx: Transaction<DB>, accountId: number, opts: SyncScope): Promise<GroupSyncResult> {
  const ids = opts.userIds;
  const fvScope = ids ? sql`and u.id = any(${ids}::bigint[])` : sql``;
  const teamScope = ids ? sql`and (u.id = any(${ids}::bigint[]) or u.manager_id = any(${ids}::bigint[]))` : sql``;
  const memberScope = ids ? sql`and (m.user_id = any(${ids}::bigint[]) or (g.kind = 'team' and g.manager_id = any(${ids}::bigint[])))` : sql``;
  // One sync per account at a time; the temp tables below are per session (the transaction's connection).
  await sql`select pg_advisory_xact_lock(7310002, ${accountId}::int)`.execute(trx);
  // Hash joins over millions of (group, user) pairs: give them memory rather than spill to disk.
  await sql`set local work_mem = '128MB'`.execute(trx);
  await sql`drop table if exists pg_temp.lmc_sync_fv, pg_temp.lmc_sync_team, pg_temp.lmc_sync_desired`.execute(trx);

  // (field, user, value) for every non-deleted user and group-able field with a non-empty value.
  await sql`
    create temp table lmc_sync_fv on commit drop as
    select f.id as field_id, f.name as field_name, u.id as user_id, u.fields ->> f.name as value
    from active_fields f
    join users u on u.account_id = f.account_id and u.state <> 'deleted'
    where f.account_id = ${accountId} and f.groupable and coalesce(u.fields ->> f.name, '') <> '' ${fvScope}`.execute(trx);
  // (manager, report) for every non-deleted user whose manager is not deleted.
  await sql`
    create temp table lmc_sync_team on commit drop as
    select u.manager_id, u.id as user_id
    from users u join users m on m.id = u.manager_id and m.state <> 'deleted'
    where u.account_id = ${accountId} and u.state <> 'deleted' ${teamScope}`.execute(trx);
  await sql`analyze lmc_sync_fv`.execute(trx);
  await sql`analyze lmc_sync_team`.execute(trx);

  const createdFields = await sql<{ n: number }>`
    with ins as (
      insert into user_groups (account_id, kind, name, field_id, field_value)
      select ${accountId}, 'field', v.field_name || ': ' || v.value, v.field_id, v.value
      from (select distinct field_id, field_name, value from lmc_sync_fv) v
      on conflict (field_id, field_value) where kind = 'field' do nothing
      returning 1)
    select count(*)::int as n from ins`.execute(trx);
  const createdTeams = await sql<{ n: number }>`
    with ins as (
      insert into user_groups (account_id, kind, name, manager_id)
      select ${accountId}, 'team', 'Team of ' || m.name, m.id
      from (select distinct manager_id from lmc_sync_team) t join users m on m.id = t.manager_id
      on conflict (manager_id) where kind = 'team' do nothing
      returning 1)
    select count(*)::int as n from ins`.execute(trx);
  // Keep names current (a renamed manager or field).
  await sql`
    update user_groups g set name = 'Team of ' || m.name
    from users m where g.account_id = ${accountId} and g.kind = 'team' and m.id = g.manager_id
      and g.name is distinct from 'Team of ' || m.name`.execute(trx);
  await sql`
    update user_groups g set name = f.name || ': ' || g.field_value
    from active_fields f where g.account_id = ${accountId} and g.kind = 'field' and f.id = g.field_id
      and g.name is distinct from f.name || ': ' || g.field_value`.execute(trx);

  await sql`
    create temp table lmc_sync_desired on commit drop as
    select g.id as group_id, v.user_id
    from lmc_sync_fv v join user_groups g on g.kind = 'field' and g.field_id = v.field_id and g.field_value = v.value
    union all
    select g.id, t.user_id
    from lmc_sync_team t join user_groups g on g.kind = 'team' and g.manager_id = t.manager_id`.execute(trx);
  await sql`analyze lmc_sync_desired`.execute(trx);

  await sql`
    delete from user_group_members m
    using user_groups g
    where g.id = m.group_id and g.account_id = ${accountId} and g.kind in ('field', 'team') ${memberScope}
      and not exists (select 1 from lmc_sync_desired d where d.group_id = m.group_id and d.user_id = m.user_id)`.execute(trx);
  await sql`
    insert into user_group_members (group_id, user_id)
    select d.group_id, d.user_id from lmc_sync_desired d
    where not exists (select 1 from user_group_members m where m.group_id = d.group_id and m.user_id = d.user_id)
    on conflict do nothing`.execute(trx);

  const removed = await sql<{ n: number }>`
    with del as (
      delete from user_groups g
      where g.account_id = ${accountId} and g.kind in ('field', 'team')
        and not exists (select 1 from user_group_members m where m.group_id = g.id)
      returning 1)
    select count(*)::int as n from del`.execute(trx);

  return { created: createdFields.rows[0].n + createdTeams.rows[0].n, removed: removed.rows[0].n };
}
