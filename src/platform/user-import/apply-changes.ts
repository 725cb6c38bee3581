import type { Transaction } from 'kysely';
import type pg from 'pg';
import type { DB } from '../../db/schema/index.ts';
import { syncAutomaticGroups } from '../groups/sync-automatic-groups.ts';
import type { ImportPlanShape } from './import-options.ts';
import { ABSENT, PLAN } from './plan-changes.ts';
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
 * automatic groups in step (only when something changed).
 */
export async function applyPlan(
  client: pg.ClientBase,
  trx: Transaction<DB>,
  shape: ImportPlanShape,
  accountId: number,
  connectionId: number,
  absentMode: 'keep' | 'suspend' | 'delete',
  lap: (phase: string) => void = () => undefined,
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
  const ins = await client.query(`
    insert into users (id, account_id, email, name, manager_id, user_type, profile, fields, data_source_id)
    overriding system value
    select uid, ${A}, email, name, new_manager_id, new_user_type, new_profile, new_fields, ${C}
    from ${PLAN} where action = 'create'`);
  lap('insert');
  const upd = await client.query(`
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
    const total = await client.query<{ n: number }>(`select count(*)::int as n from users where account_id = ${A} and state <> 'deleted'`);
    if (fieldsDeleted.length || changed * 2 > total.rows[0].n) {
      // Most of the account changed (a first import): one pass over the whole account is cheaper.
      await syncAutomaticGroups(trx, accountId);
    } else {
      // Only the users this import changed (and the teams they manage) are brought in step.
      await client.query(`create temp table lmc_ui_changed on commit drop as select uid as user_id from ${PLAN} where action <> 'unchanged' union all select id from ${ABSENT}`);
      await client.query(`analyze lmc_ui_changed`);
      await syncAutomaticGroups(trx, accountId, { userIdsTable: 'lmc_ui_changed' });
    }
    lap('groups');
  }
  return { created, updated, suspended, deleted, fieldsDeleted };
}
