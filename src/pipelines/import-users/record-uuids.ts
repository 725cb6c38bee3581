import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';

/**
 * For a source whose record id is the person's HR UUID (UserSourceCapability.recordIdIsUuid, e.g. Workday's
 * worker id): after a successful import, each user the connection owns carries the id it was imported from as
 * externalIds.hr_uuid, which the admin API then refuses to clear or change (users.ts, LMC_ERR_USER_HR_UUID_LOCKED).
 * Only the ids the import recorded since `since` (the database's clock before the import started: new users
 * and ids that moved to another user) are read, so an incremental run of a large tenant reads a few rows.
 * It runs after the import's transaction (the import's own files are another helper's): a crash in between
 * leaves those UUIDs unwritten until the record changes again. Returns how many users got their UUID.
 */
export async function recordUuids(db: Database, accountId: number, connectionId: number, since: Date): Promise<number> {
  const r = await sql`
    update users u set external_ids = u.external_ids || jsonb_build_object('hr_uuid', s.source_id)
    from (select distinct on (user_id) user_id, source_id from user_source_ids where connection_id = ${connectionId} and updated_at >= ${since} order by user_id, updated_at desc) s
    where u.id = s.user_id and u.account_id = ${accountId} and u.data_source_id = ${connectionId} and u.state <> 'deleted'
      and u.external_ids ->> 'hr_uuid' is distinct from s.source_id`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** The database's clock now (what user_source_ids.updated_at is compared with). */
export async function databaseNow(db: Database): Promise<Date> {
  return (await sql<{ t: Date }>`select clock_timestamp() as t`.execute(db)).rows[0].t;
}
