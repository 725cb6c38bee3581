import { sql, type Transaction } from 'kysely';
import type pg from 'pg';
import type { DB } from '../../db/schema/index.ts';
import { syncAutomaticGroups } from '../groups/sync-automatic-groups.ts';
import type { ImportPlanShape } from './import-options.ts';
import { ABSENT } from './absent-users.ts';
import { MANAGER_IDS, PLAN, usersSequence, type PlanSummary } from './plan-changes.ts';
import { RECORD_IDS, ROWS } from './staging.ts';
import { litOf } from './validate-rows.ts';

export interface ApplyResult {
  created: number;
  updated: number;
  suspended: number;
  deleted: number;
  fieldsDeleted: string[];
}

/**
 * Writes the plan into the platform, inside the caller's transaction (the import's one transaction):
 * deletes confirmed csv active fields, inserts new users with their managers in one statement, updates
 * changed users (unchanged ones are not touched), suspends or deletes absent users, then brings the
 * automatic groups in step (only when something changed). `recordIdIsUuid` (a source whose record id is the
 * person's HR UUID): new users are inserted with it as externalIds.hr_uuid (source-ids.ts sets it on the others).
 */
export async function applyPlan(
  client: pg.ClientBase,
  trx: Transaction<DB>,
  shape: ImportPlanShape,
  accountId: number,
  connectionId: number,
  absentMode: 'keep' | 'suspend' | 'delete',
  plan: PlanSummary,
  lap: (phase: string) => void = () => undefined,
  recordIdIsUuid = false,
): Promise<ApplyResult> {
  const lit = litOf(client);
  const A = Number(accountId);
  const C = Number(connectionId);
  const fieldsDeleted: string[] = [];
  for (const f of shape.deleteFields) {
    // The spec: DontImportFromSource on a csv active field deletes the field (values and groups with it).
    const r = await client.query(`delete from active_fields where account_id = ${A} and id = ${Number(f.id)} returning name`);
    if (r.rowCount) {
      await client.query(`update users set fields = fields - ${lit(f.name)}::text, updated_at = now() where account_id = ${A} and fields ? ${lit(f.name)}::text`);
      fieldsDeleted.push(f.name);
    }
  }
  const ins = await insertNewUsers(client, A, C, await newUsers(client, plan, recordIdIsUuid), recordIdIsUuid);
  // Statistics of users that still describe the table before this insert (a first import multiplies it)
  // make every later plan on users guess wrong: nested loops over what is now millions of rows, here and in
  // the next import of another account. ANALYZE in the transaction counts the rows it inserted (0.3 s for
  // 1,000,000); it is done when the insert is large for the table.
  const created0 = ins.rowCount ?? 0;
  if (created0 >= 10_000) {
    const st = await client.query<{ n: number }>(`select greatest(reltuples, 0)::float8 as n from pg_class where oid = 'users'::regclass`);
    if (created0 * 10 > Number(st.rows[0].n)) await client.query(`analyze users`);
  }
  lap('insert');
  // Whether the groups are brought in step over the whole account or only where this import changed something
  // is decided before the users change: a scoped sync needs what the changed users held before (the groups
  // they leave are the only ones that can become empty).
  const absentCount = absentMode === 'keep' ? 0 : Number((await client.query<{ n: number }>(`select count(*)::int as n from ${ABSENT}`)).rows[0].n);
  const changing = created0 + plan.update + absentCount;
  const wholeAccount = fieldsDeleted.length > 0 || plan.mode.direct || (changing * 2 > plan.create + plan.update + plan.unchanged && (await fewerUsersThan(client, A, changing * 2)));
  const scoped = changing > 0 && !wholeAccount;
  if (scoped) {
    await client.query(`create temp table lmc_ui_changed on commit drop as select uid as user_id from ${PLAN} where action <> 'unchanged' union all select id from ${ABSENT}`);
    await client.query(`analyze lmc_ui_changed`);
    await client.query(`create temp table lmc_ui_former on commit drop as
      select u.fields, u.manager_id from ${PLAN} p join users u on u.id = p.old_id where p.action = 'update'
      union all select u.fields, u.manager_id from ${ABSENT} a join users u on u.id = a.id`);
  }
  lap('groups scope');
  const upd = plan.mode.direct ? { rowCount: 0 } : await client.query(`
    update users u set email = p.email, name = p.name, manager_id = p.new_manager_id, user_type = p.new_user_type,
      profile = p.new_profile, fields = p.new_fields, state = 'active', data_source_id = ${C}, updated_at = now()
    from ${PLAN} p where p.action = 'update' and u.id = p.old_id`);
  lap('update');
  let suspended = 0;
  let deleted = 0;
  if (absentMode !== 'keep') {
    const r = await client.query(`update users u set state = ${lit(absentMode === 'delete' ? 'deleted' : 'suspended')}, updated_at = now() from ${ABSENT} a where u.id = a.id`);
    if (absentMode === 'delete') deleted = r.rowCount ?? 0;
    else suspended = r.rowCount ?? 0;
  }
  const created = ins.rowCount ?? 0;
  const updated = upd.rowCount ?? 0;
  const changed = created + updated + suspended + deleted;
  if (changed > 0 || fieldsDeleted.length) {
    // The rows of the plan stand for the account's size (counting the account's users would read every row just
    // written) when the source is everyone; a delta read (or a file of some users) holds only the changes, so
    // then the account is asked, up to twice the changes (an index walk that stops there, not a count of it all).
    if (!scoped) {
      // Most of the account changed (a first import): one pass over the whole account is cheaper. A direct
      // import inserted every user the account has: their managers are those of its manager table.
      await syncAutomaticGroups(trx, accountId, plan.mode.direct ? { managerIds: sql.raw(`select uid from ${MANAGER_IDS}`) } : {});
    } else {
      // Only the users this import changed (and the teams they manage or left) are brought in step.
      await syncAutomaticGroups(trx, accountId, { userIdsTable: 'lmc_ui_changed', formerTable: 'lmc_ui_former', onStep: (name) => lap(`groups: ${name}`) });
    }
    lap('groups');
  }
  return { created, updated, suspended, deleted, fieldsDeleted };
}

/** Whether the account has fewer than `n` users that are not deleted (reads at most n of them). */
async function fewerUsersThan(client: pg.ClientBase, A: number, n: number): Promise<boolean> {
  const r = await client.query<{ k: number }>(`select count(*)::int as k from (select 1 from users where account_id = ${A} and state <> 'deleted' limit ${Math.ceil(n)}) x`);
  return r.rows[0].k < n;
}

/**
 * Inserts the plan's new users in one statement. Their two foreign keys (account_id, manager_id) would each
 * run a trigger per row (~40% of the insert at 1,000,000 users); when the session may, they are checked
 * set-based instead, with the same guarantees:
 * - the rows the checks would lock (FOR KEY SHARE: the account, every existing user named as a manager) are
 *   locked once each, so no other transaction can delete them before we commit;
 * - triggers are off (session_replication_role = replica) for this one statement only, and only when the
 *   users table has no trigger of its own (nothing but the foreign keys' internal ones would be skipped);
 * - after the insert, every manager_id of the new rows must be a user of the account, else the import fails
 *   (and its transaction rolls back): a dangling manager_id is never committed.
 * Without the privilege (a non-superuser on a server before PostgreSQL 15, or without SET granted), the
 * plain insert with its per-row checks runs.
 */
async function insertNewUsers(client: pg.ClientBase, A: number, C: number, source: string, recordIdIsUuid: boolean): Promise<pg.QueryResult> {
  // A new user's UUID is written with it: setting it afterwards rewrote every row just inserted (a first import
  // of 200,000 Workday workers spent ~8 s there on a loaded machine). The first line of each record id has it,
  // as in source-ids.ts (the later lines' users, if any, get none).
  const uuid = recordIdIsUuid
    ? {
        column: ', external_ids',
        value: `, case when i.source_id is null then '{}'::jsonb else jsonb_build_object('hr_uuid', i.source_id) end`,
        join: `left join (select source_id, min(line) as line from ${RECORD_IDS} group by source_id) i on i.line = n.line`,
      }
    : { column: '', value: '', join: '' };
  const insert = `
    insert into users (id, account_id, email, name, manager_id, user_type, profile, fields, data_source_id${uuid.column})
    overriding system value
    select uid, ${A}, email, name, new_manager_id, new_user_type, new_profile, new_fields, ${C}${uuid.value} from (${source}) n ${uuid.join}`;
  if (!(await maySkipForeignKeyTriggers(client))) return client.query(insert);
  // Every manager id of the plan (a superset of the new rows' ones) is in its manager table.
  const managerIds = `select uid from ${MANAGER_IDS} where uid is not null`;
  await client.query(`select 1 from accounts where id = ${A} for key share`);
  await client.query(`select 1 from users u where u.id = any(array(${managerIds})) for key share of u`);
  const saved = (await client.query<{ r: string }>(`select current_setting('session_replication_role') as r`)).rows[0].r;
  await client.query(`set local session_replication_role = replica`);
  let ins: pg.QueryResult;
  try {
    ins = await client.query(insert);
  } finally {
    await client.query(`select set_config('session_replication_role', $1, true)`, [saved]);
  }
  // Every manager id (a few percent of the rows) must be a user of the account: one primary-key probe each (a
  // scalar subquery is never turned into a join, whose guess from the statistics before this insert once
  // read the account's million users instead).
  const check = await client.query<{ missing: number }>(`
    select count(*)::int as missing from (${managerIds}) m where (select u.account_id from users u where u.id = m.uid) is distinct from ${A}`);
  const { missing } = check.rows[0];
  if (missing > 0) throw new Error(`user import: ${missing} manager id(s) of new users are not users of account ${A}`);
  return ins;
}

/** Whether this session may set session_replication_role and the users table has no trigger but the internal ones. */
async function maySkipForeignKeyTriggers(client: pg.ClientBase): Promise<boolean> {
  const r = await client.query<{ su: boolean; v: number; own: number }>(`
    select coalesce((select rolsuper from pg_roles where rolname = current_user), false) as su,
      current_setting('server_version_num')::int as v,
      (select count(*)::int from pg_trigger where tgrelid = 'users'::regclass and not tgisinternal) as own`);
  const { su, v, own } = r.rows[0];
  if (own > 0) return false;
  if (su) return true;
  if (v < 150000) return false;
  const g = await client.query<{ ok: boolean }>(`select has_parameter_privilege('session_replication_role', 'SET') as ok`);
  return g.rows[0].ok;
}

/**
 * The new users (uid, email, name, new_manager_id, new_user_type, new_profile, new_fields, and with `withLine`
 * the staged row's line): the plan's
 * creates, or in a direct import (plan-changes.ts, mayImportDirectly) every valid staged row, which is what the
 * plan would hold for a user that does not exist yet: a manager's id from the manager table, anyone else's
 * from the sequence, the documents as imported.
 */
async function newUsers(client: pg.ClientBase, plan: PlanSummary, withLine: boolean): Promise<string> {
  const line = withLine ? ', line' : '';
  if (!plan.mode.direct) return `select uid, email, name, new_manager_id, new_user_type, new_profile, new_fields${line} from ${PLAN} where action = 'create'`;
  const seq = client.escapeLiteral(await usersSequence(client));
  return `
    select coalesce(mi.uid, nextval(${seq})) as uid, r.email, r.name, m.uid as new_manager_id, coalesce(r.user_type, 'internal') as new_user_type,
      r.profile_doc::jsonb as new_profile, r.fields_doc::jsonb as new_fields${withLine ? ', r.line' : ''}
    from ${ROWS} r
    left join ${MANAGER_IDS} mi on mi.em = r.em
    left join ${MANAGER_IDS} m on m.em = r.mgr
    where r.included and r.reason is null`;
}
