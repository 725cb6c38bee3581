import { sql, type Kysely } from 'kysely';

// The xAPI Learning Record Store (src/lrs). Statements are kept whole as jsonb; the columns beside them are
// what the statement queries filter and order on, so every query is an index range scan that stops after
// `limit` rows: (account, <filter>, stored desc, seq desc). `seq` breaks ties of `stored` (one batch shares
// one `stored`) and makes paging cursors exact.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table lrs_credentials (
  id bigint generated always as identity primary key,
  account_id bigint not null references accounts(id) on delete cascade,
  name text not null,
  -- the Basic-auth user name: public, unique
  key text not null unique,
  -- SHA-256 of the secret (a 32-byte random value, so a fast hash is enough)
  secret_hash text not null,
  scopes text[] not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index lrs_credentials_account on lrs_credentials (account_id);

create table lrs_statements (
  seq bigint generated always as identity primary key,
  account_id bigint not null references accounts(id) on delete cascade,
  id uuid not null,
  stored timestamptz not null,
  -- actor IFI key ("Agent|mbox:mailto:a@b"), verb IRI, object activity id / statement id (StatementRef)
  actor_key text,
  verb_id text not null,
  object_activity_id text,
  object_statement_id uuid,
  registration uuid,
  voided boolean not null default false,
  is_voiding boolean not null default false,
  timestamp timestamptz not null,
  -- the statement as stored (with id, stored, authority, version), without attachment contents
  statement jsonb not null,
  -- attachment sha2 hashes whose contents are in lrs_attachments
  attachment_hashes text[] not null default '{}'
);
create unique index lrs_statements_id on lrs_statements (account_id, id);
create index lrs_statements_stored on lrs_statements (account_id, stored desc, seq desc);
create index lrs_statements_verb on lrs_statements (account_id, verb_id, stored desc, seq desc);
create index lrs_statements_registration on lrs_statements (account_id, registration, stored desc, seq desc) where registration is not null;
create index lrs_statements_object_statement on lrs_statements (account_id, object_statement_id) where object_statement_id is not null;
-- statements that target other statements (StatementRef), in stored order: queries also return these when
-- their target matches the filter
create index lrs_statements_refs on lrs_statements (account_id, stored desc, seq desc) where object_statement_id is not null;

-- Agents of a statement (actor, object, authority, context instructor/team/agents/groups, sub-statement's):
-- direct = true for actor and object, which the plain "agent" filter matches; related_agents matches all.
-- (No foreign key to lrs_statements: statements are never deleted one by one, and a per-row check would
-- cost ingest speed; the account's deletion removes these rows through account_id.)
create table lrs_statement_agents (
  account_id bigint not null references accounts(id) on delete cascade,
  agent_key text not null,
  stored timestamptz not null,
  seq bigint not null,
  direct boolean not null,
  primary key (account_id, agent_key, stored, seq)
);

-- Activities of a statement: the object (direct) and the context activities and sub-statement's (related).
create table lrs_statement_activities (
  account_id bigint not null references accounts(id) on delete cascade,
  activity_id text not null,
  stored timestamptz not null,
  seq bigint not null,
  direct boolean not null,
  primary key (account_id, activity_id, stored, seq)
);

-- Attachment contents, by account and SHA-256: statements sharing a file share one row.
create table lrs_attachments (
  account_id bigint not null references accounts(id) on delete cascade,
  sha2 text not null,
  content_type text not null,
  content bytea not null,
  primary key (account_id, sha2)
);

-- The merged definitions of activities seen in statements (for GET /activities).
create table lrs_activities (
  account_id bigint not null references accounts(id) on delete cascade,
  activity_id text not null,
  activity jsonb not null,
  primary key (account_id, activity_id)
);

-- State, activity profile and agent profile documents. Empty strings stand for "not part of the key" so
-- that the unique index covers every kind.
create table lrs_documents (
  id bigint generated always as identity primary key,
  account_id bigint not null references accounts(id) on delete cascade,
  kind text not null check (kind in ('state', 'activity_profile', 'agent_profile')),
  activity_id text not null default '',
  agent_key text not null default '',
  registration text not null default '',
  doc_id text not null,
  content_type text not null,
  content bytea not null,
  etag text not null,
  updated timestamptz not null
);
create unique index lrs_documents_key on lrs_documents (account_id, kind, activity_id, agent_key, registration, doc_id);
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists lrs_documents, lrs_activities, lrs_attachments, lrs_statement_activities, lrs_statement_agents, lrs_statements, lrs_credentials`.execute(db);
}
