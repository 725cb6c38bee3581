import type pg from 'pg';
import { RECORD_IDS, ROWS } from './staging.ts';

/**
 * The run's users with the vendor record each came from: the first record of each id wins; ids are compared
 * byte for byte (collate "C": sorting by the server's locale costs several times more, and ids are opaque).
 * Columns source_id, user_id and, with `uuid`, hr_uuid (the user's current externalIds.hr_uuid), file_no, line,
 * email; a left join gives a null user_id for a record whose user does not exist yet (a dry run's new users)
 * and, as the plan does, finds a deleted user the run would bring back (the apply's join runs after it did).
 */
function runRecords(accountId: number, join: 'inner' | 'left', uuid: boolean): string {
  return `
    select distinct on (i.source_id collate "C") i.source_id, u.id as user_id${uuid ? `, u.external_ids ->> 'hr_uuid' as hr_uuid, r.file_no, r.line, r.email` : ''}
    from ${RECORD_IDS} i join ${ROWS} r on r.line = i.line
    ${join} join users u on u.account_id = ${Number(accountId)} and lower(u.email) = r.em${join === 'inner' ? ` and u.state <> 'deleted'` : ''}
    where r.included and r.reason is null
    order by i.source_id collate "C", r.line`;
}

/**
 * Remembers which vendor record each imported user came from (user_source_ids), in the import's transaction:
 * the next delta read names removed users and managers by that id only. A vendor id now on another user (an
 * address changed hands) follows the record.
 *
 * recordIdIsUuid (a source whose record id is the person's HR UUID, e.g. Workday's worker id): the same
 * statement sets externalIds.hr_uuid to the record id on every user of the run whose UUID differs (updated and
 * unchanged users alike, so users imported before their UUID was kept get it on the next run; new users were
 * inserted with it, apply-changes.ts, unless another record of the run had the same id),
 * which the admin API then refuses to clear or change (users.ts, LMC_ERR_USER_HR_UUID_LOCKED). In the
 * transaction: a crash leaves neither the users' changes nor their UUIDs. Returns how many users got their UUID.
 *
 * @example const uuids = await rememberSourceIds(client, accountId, connectionId, { recordIdIsUuid: true });
 */
export async function rememberSourceIds(client: pg.ClientBase, accountId: number, connectionId: number, opts: { recordIdIsUuid?: boolean } = {}): Promise<number> {
  const C = Number(connectionId);
  // The first run of a connection has nothing to update: a plain insert, without a conflict check per row
  // (speculative insertion), a third of this statement at 100,000 users (bench:api-import). The import holds
  // the account's lock (run-user-import.ts), so no other import of this connection writes meanwhile.
  const first = await client.query<{ none: boolean }>(`select not exists (select 1 from user_source_ids where connection_id = ${C}) as none`);
  const onConflict = first.rows[0].none
    ? ''
    : `on conflict (connection_id, source_id) do update set user_id = excluded.user_id, updated_at = now()
      where user_source_ids.user_id <> excluded.user_id`;
  if (!opts.recordIdIsUuid) {
    // Sources whose ids are not UUIDs (Entra ID, Salesforce...; a CSV import never comes here): the insert alone.
    await client.query(`insert into user_source_ids (connection_id, source_id, user_id) select ${C}, source_id, user_id from (${runRecords(accountId, 'inner', false)}) x ${onConflict}`);
    return 0;
  }
  // One pass over the run's records feeds both writes (the join of records, rows and users is the dear part);
  // the UUID update touches only the users whose UUID differs (none in a re-import that changes nothing).
  const r = await client.query(`
    with x as materialized (${runRecords(accountId, 'inner', true)}),
    ids as (insert into user_source_ids (connection_id, source_id, user_id) select ${C}, source_id, user_id from x ${onConflict})
    update users u set external_ids = u.external_ids || jsonb_build_object('hr_uuid', x.source_id), updated_at = now()
    from x where u.id = x.user_id and x.hr_uuid is distinct from x.source_id`);
  return r.rowCount ?? 0;
}

/**
 * The change set's lines for the UUIDs a run with recordIdIsUuid would write (see rememberSourceIds): one per
 * user whose UUID differs, `create` for a new user, `update` for an existing one (changed by the plan or not).
 * Columns as changeSetStream's union: k, file_no, line, action, email, field, old_value, new_value.
 */
export function uuidChangesSql(accountId: number): string {
  return `
    select case when x.user_id is null then 1 else 2 end, x.file_no, x.line, case when x.user_id is null then 'create' else 'update' end,
      x.email, 'external_ids.hr_uuid', x.hr_uuid, x.source_id
    from (${runRecords(accountId, 'left', true)}) x where x.hr_uuid is distinct from x.source_id`;
}

/**
 * The vendor record id each of these users was imported from through a connection (user_source_ids): what
 * an export to the same vendor names them by. Users never imported through it are absent from the map.
 */
export async function sourceIdsOfUsers(client: pg.ClientBase, connectionId: number, userIds: number[]): Promise<Map<number, string>> {
  if (!userIds.length) return new Map();
  const r = await client.query<{ user_id: string; source_id: string }>(
    `select distinct on (user_id) user_id, source_id from user_source_ids where connection_id = $1 and user_id = any($2::bigint[]) order by user_id, updated_at desc`,
    [connectionId, userIds],
  );
  return new Map(r.rows.map((x) => [Number(x.user_id), x.source_id]));
}
