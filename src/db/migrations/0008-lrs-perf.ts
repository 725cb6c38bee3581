import { sql, type Kysely } from 'kysely';

// LRS ingest speed. A foreign key is checked row by row: every stored statement paid five checks of its
// account (the statement, two agent rows, two activity rows), each a lookup plus a row lock on the same
// accounts row that concurrent writers then share (multixacts). The writer's account is known to exist
// (its LRS key belongs to it), so the per-row checks go; what the keys gave besides, removing an account's
// statements with the account, is kept by one statement-level trigger on accounts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table lrs_statements drop constraint if exists lrs_statements_account_id_fkey;
alter table lrs_statement_agents drop constraint if exists lrs_statement_agents_account_id_fkey;
alter table lrs_statement_activities drop constraint if exists lrs_statement_activities_account_id_fkey;

create function lrs_delete_account_statements() returns trigger language plpgsql as $$
begin
  delete from lrs_statement_agents where account_id in (select id from deleted_accounts);
  delete from lrs_statement_activities where account_id in (select id from deleted_accounts);
  delete from lrs_statements where account_id in (select id from deleted_accounts);
  return null;
end $$;

create trigger lrs_account_deleted after delete on accounts
  referencing old table as deleted_accounts for each statement execute function lrs_delete_account_statements();
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
drop trigger if exists lrs_account_deleted on accounts;
drop function if exists lrs_delete_account_statements();
alter table lrs_statements add foreign key (account_id) references accounts(id) on delete cascade;
alter table lrs_statement_agents add foreign key (account_id) references accounts(id) on delete cascade;
alter table lrs_statement_activities add foreign key (account_id) references accounts(id) on delete cascade;
`.execute(db);
}
