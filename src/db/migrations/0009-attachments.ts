import { sql, type Kysely } from 'kysely';

// Run attachments (a dry run's change set for a million users is hundreds of MB) are stored as 1 MiB chunk
// rows instead of one bytea value: a bytea is built and read whole in memory on both sides of the wire.
// Chunks are written and read one at a time, so the process's memory does not grow with the file, and they
// go with their run_files row (and so with the run) through the cascading foreign key. run_files.data is
// kept for files stored before this migration (read as one chunk).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table run_files alter column data drop not null;

create table run_file_chunks (
  run_id bigint not null,
  name text not null,
  seq integer not null,
  data bytea not null,
  primary key (run_id, name, seq),
  foreign key (run_id, name) references run_files (run_id, name) on delete cascade on update cascade
);
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
drop table if exists run_file_chunks;
delete from run_files where data is null;
alter table run_files alter column data set not null;
`.execute(db);
}
