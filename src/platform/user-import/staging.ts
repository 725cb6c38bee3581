import type pg from 'pg';
import type { ImportPlanShape } from './import-options.ts';

/** The staging table: one normalized row per source record (a CSV record, a vendor's user). */
export const ROWS = 'lmc_ui_rows';

/** The temporary table of a record source's ids: line of the staged row -> vendor id, manager's vendor id. */
export const RECORD_IDS = 'lmc_ui_record_ids';
/** The vendor ids a delta read reported removed. */
export const REMOVED = 'lmc_ui_removed';

/** The staged row's columns, in the order a source's rows give them (COPY text format). */
export function rowColumns(shape: ImportPlanShape): string[] {
  return [
    'file_no', 'line', 'email', 'name', 'mgr_in', 'user_type',
    ...shape.profile.map((_, i) => `p${i}`), ...shape.fields.map((_, i) => `f${i}`),
    'included', 'malformed', 'reason', 'reason_field', 'profile_doc', 'fields_doc',
  ];
}

/**
 * Creates the session's staging table of normalized rows (temporary: no WAL, dropped at commit or rollback),
 * which a staging source fills with COPY (see staging-source.ts). em and mgr, the lower-cased keys, are
 * computed by the database as rows arrive. The documents (when staged) stay JSON text until a row turns out
 * to change (parsing is the dear part of a re-import that changes nothing).
 */
export async function createStaging(client: pg.ClientBase, shape: ImportPlanShape): Promise<void> {
  const values = [...shape.profile.map((_, i) => `p${i} text`), ...shape.fields.map((_, i) => `f${i} text`)];
  await client.query(`
    create temp table ${ROWS} (
      file_no int not null, line int not null, email text, name text, mgr_in text, user_type text, ${values.map((v) => v + ',').join(' ')}
      included boolean not null, malformed boolean not null, reason text, reason_field text, profile_doc text, fields_doc text,
      rej_pass int not null default 0,
      em text generated always as (lower(email)) stored,
      mgr text generated always as (lower(mgr_in)) stored
    ) on commit drop`);
}

/**
 * Creates the tables a source of vendor records fills beside the rows (RECORD_IDS, REMOVED); the source
 * copies its ids into them once its rows are staged.
 */
export async function createRecordTables(client: pg.ClientBase): Promise<void> {
  await client.query(`create temp table ${RECORD_IDS} (line int primary key, source_id text not null, manager_id text) on commit drop`);
  await client.query(`create temp table ${REMOVED} (source_id text primary key) on commit drop`);
}

/**
 * Fills the manager of rows whose source gave it by vendor id (RECORD_IDS.manager_id) and whose manager column
 * is empty: the manager's row in this run, else the user an earlier run of this connection imported with that id.
 */
export async function resolveManagerIds(client: pg.ClientBase, connectionId: number): Promise<void> {
  // One set-based statement: the manager's first row in this run (by vendor id, hash-joined once), else the user
  // an earlier run recorded under that id. (A correlated lookup per row scanned the rows table for each of them:
  // 16 minutes at 200,000 Workday workers.)
  await client.query(`
    with wanted as (select distinct manager_id from ${RECORD_IDS} where manager_id is not null),
    here as (
      select distinct on (i2.source_id) i2.source_id, r2.email
      from ${RECORD_IDS} i2 join wanted w on w.manager_id = i2.source_id join ${ROWS} r2 on r2.line = i2.line
      order by i2.source_id, r2.line)
    update ${ROWS} r set mgr_in = coalesce(h.email,
      (select u.email from user_source_ids s join users u on u.id = s.user_id
        where s.connection_id = ${Number(connectionId)} and s.source_id = i.manager_id and u.state <> 'deleted'))
    from ${RECORD_IDS} i left join here h on h.source_id = i.manager_id
    where i.line = r.line and i.manager_id is not null and i.manager_id <> i.source_id and r.mgr_in is null and not r.malformed`);
}
