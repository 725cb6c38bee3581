import { sql, type Kysely } from 'kysely';

// lmc_is_timestamptz(text): whether a text reads as a timestamptz, without failing the statement. The xAPI
// export's date columns use it so that an impossible date (2026-02-30) becomes N/A instead of failing the
// whole COPY. PostgreSQL 16+ has pg_input_is_valid (an inlinable SQL function); 15 gets the same answer from
// a PL/pgSQL cast that catches the error (a subtransaction per call, only for texts the ISO regex accepts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
do $do$
begin
  if current_setting('server_version_num')::int >= 160000 then
    execute $f$create or replace function lmc_is_timestamptz(t text) returns boolean
      language sql stable parallel safe as $b$ select pg_input_is_valid(t, 'timestamptz') $b$ $f$;
  else
    execute $f$create or replace function lmc_is_timestamptz(t text) returns boolean
      language plpgsql stable parallel safe as $b$
      begin
        perform t::timestamptz;
        return true;
      exception when others then
        return false;
      end $b$ $f$;
  end if;
end $do$;
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function if exists lmc_is_timestamptz(text)`.execute(db);
}
