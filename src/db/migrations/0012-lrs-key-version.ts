import { sql, type Kysely } from 'kysely';

// The xAPI version of an LRS key's clients. A request names its version in X-Experience-API-Version and is
// answered in it whatever the key says; the key's version is what the LRS reports when a request names none
// (it is refused with 400 either way, and the 1.0.3 and 2.0 conformance suites each expect their own version
// on that answer: XAPI-00331). Existing keys keep today's behaviour (2.0.0).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table lrs_credentials add column xapi_version text not null default '2.0.0' check (xapi_version in ('2.0.0', '1.0.3'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table lrs_credentials drop column if exists xapi_version`.execute(db);
}
