import type { Readable } from 'node:stream';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { ImportPlanShape } from './import-options.ts';
import { ABSENT } from './absent-users.ts';
import { PLAN } from './plan-changes.ts';
import { litOf } from './validate-rows.ts';
import { neutraliseFormulaSql } from '../../shared/csv-formula.ts';

/**
 * The complete change set of a (dry) run as CSV, streamed from the database (COPY ... TO STDOUT):
 * `action,email,field,old_value,new_value` with one line per set value of a created user, per changed
 * value of an updated user (old and new), and one per suspended or deleted user. Must be consumed while
 * the run's transaction is open (the plan lives in temporary tables). `uuids`: the lines of the HR UUIDs the
 * run would set (source-ids.ts uuidChangesSql), for a source whose record id is the UUID.
 */
export function changeSetStream(client: pg.ClientBase, shape: ImportPlanShape, absentMode: 'keep' | 'suspend' | 'delete', connectionId: number, uuids?: string): Readable {
  const lit = litOf(client);
  // People open the change set in a spreadsheet: values that would run as formulas are written as text.
  const N = (c: string) => `${neutraliseFormulaSql(c)} as ${c}`;
  const vals = (kind: 'create' | 'update') => {
    const rows: string[] = [];
    const add = (field: string, oldV: string, newV: string) => rows.push(kind === 'create' ? `(${lit(field)}, null::text, ${newV})` : `(${lit(field)}, ${oldV}, ${newV})`);
    add('name', 'p.old_name', 'p.name');
    add('email', 'p.old_email', 'p.email');
    add('manager', 'lower(om.email)', 'p.mgr');
    add('user_type', 'p.old_user_type', 'p.new_user_type');
    for (const f of shape.profile) add(`profile.${f.key}`, `p.old_profile ->> ${lit(f.key)}`, `p.new_profile ->> ${lit(f.key)}`);
    for (const f of shape.fields) add(`fields.${f.name}`, `p.old_fields ->> ${lit(f.name)}`, `p.new_fields ->> ${lit(f.name)}`);
    for (const f of shape.deleteFields) add(`fields.${f.name}`, `p.old_fields ->> ${lit(f.name)}`, 'null::text');
    if (kind === 'update') {
      add('state', 'p.old_state', `'active'`);
      add('data_source_id', 'p.old_source::text', `${lit(String(connectionId))}`);
    }
    return rows.join(', ');
  };
  const absent = absentMode === 'keep' ? '' : `
      union all
      select 3, 0, 0, ${lit(absentMode)}, a.email, 'state', a.state, ${lit(absentMode === 'delete' ? 'deleted' : 'suspended')} from ${ABSENT} a`;
  const query = `
    select action, ${N('email')}, ${N('field')}, ${N('old_value')}, ${N('new_value')} from (
      select 1 as k, p.file_no, p.line, 'create' as action, p.email, x.field, x.old_value, x.new_value
      from ${PLAN} p cross join lateral (values ${vals('create')}) x(field, old_value, new_value)
      where p.action = 'create' and x.new_value is not null
      union all
      select 2, p.file_no, p.line, 'update', p.email, x.field, x.old_value, x.new_value
      from ${PLAN} p left join users om on om.id = p.old_manager_id
      cross join lateral (values ${vals('update')}) x(field, old_value, new_value)
      where p.action = 'update' and x.old_value is distinct from x.new_value
      ${absent}
      ${uuids ? `union all ${uuids}` : ''}
    ) c order by k, file_no, line, email`;
  return client.query(copyTo(`copy (${query}) to stdout with (format csv, header)`));
}
