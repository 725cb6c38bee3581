import type pg from 'pg';
import { RECORD_IDS, ROWS } from './staging.ts';

/**
 * Remembers which vendor record each imported user came from (user_source_ids), in the import's transaction:
 * the next delta read names removed users and managers by that id only. A vendor id now on another user (an
 * address changed hands) follows the record.
 */
export async function rememberSourceIds(client: pg.ClientBase, accountId: number, connectionId: number): Promise<void> {
  const C = Number(connectionId);
  // The first run of a connection has nothing to update: a plain insert, without a conflict check per row
  // (speculative insertion), a third of this statement at 100,000 users (bench:api-import). The import holds
  // the account's lock (run-user-import.ts), so no other import of this connection writes meanwhile.
  const first = await client.query<{ none: boolean }>(`select not exists (select 1 from user_source_ids where connection_id = ${C}) as none`);
  // The first record of each id wins; ids are compared byte for byte (collate "C": sorting by the server's
  // locale costs several times more, and ids are opaque).
  await client.query(`
    insert into user_source_ids (connection_id, source_id, user_id)
    select distinct on (i.source_id collate "C") ${C}, i.source_id, u.id
    from ${RECORD_IDS} i join ${ROWS} r on r.line = i.line
    join users u on u.account_id = ${Number(accountId)} and lower(u.email) = r.em and u.state <> 'deleted'
    where r.included and r.reason is null
    order by i.source_id collate "C", r.line
    ${first.rows[0].none ? '' : `on conflict (connection_id, source_id) do update set user_id = excluded.user_id, updated_at = now()
      where user_source_ids.user_id <> excluded.user_id`}`);
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
