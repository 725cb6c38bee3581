import { sql, type Kysely } from 'kysely';

// The platform as an OAuth 2.0 authorization server for integrations (the spec's "Applications" and the
// Salesforce package's client id, secret and refresh token). Every secret is stored as a SHA-256 hash: the
// client secret, authorization codes and tokens are random 192-bit values, so a plain hash is enough (no
// password stretching needed) and a database leak gives nothing that can be replayed.
//   oauth_apps    registered applications; approved before they may be used
//   oauth_grants  one per consent turned into tokens (a code exchange); revoking it ends its token family
//   oauth_codes   authorization codes: single use, minutes long, bound to redirect URI and PKCE challenge
//   oauth_tokens  access and refresh tokens of a grant; a refresh rotates (the old one is marked replaced)
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table oauth_apps (
  id bigserial primary key,
  account_id bigint not null references accounts (id) on delete cascade,
  name text not null,
  description text not null default '',
  client_id text not null unique,
  client_secret_hash text not null,
  secret_prefix text not null,
  redirect_uris text[] not null,
  scopes text[] not null,
  status text not null default 'pending' check (status in ('pending', 'approved', 'revoked')),
  created_by bigint references users (id) on delete set null,
  created_at timestamptz not null default now(),
  approved_by bigint references users (id) on delete set null,
  approved_at timestamptz,
  revoked_at timestamptz
);
create unique index oauth_apps_account_name on oauth_apps (account_id, lower(name)) where status <> 'revoked';

create table oauth_grants (
  id bigserial primary key,
  app_id bigint not null references oauth_apps (id) on delete cascade,
  account_id bigint not null,
  user_id bigint not null references users (id) on delete cascade,
  scopes text[] not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  revoked_reason text
);
create index oauth_grants_app on oauth_grants (app_id);

create table oauth_codes (
  code_hash text primary key,
  app_id bigint not null references oauth_apps (id) on delete cascade,
  account_id bigint not null,
  user_id bigint not null references users (id) on delete cascade,
  redirect_uri text not null,
  scopes text[] not null,
  code_challenge text,
  code_challenge_method text,
  expires_at timestamptz not null,
  used_at timestamptz,
  grant_id bigint references oauth_grants (id) on delete cascade,
  created_at timestamptz not null default now()
);

create table oauth_tokens (
  token_hash text primary key,
  grant_id bigint not null references oauth_grants (id) on delete cascade,
  kind text not null check (kind in ('access', 'refresh')),
  expires_at timestamptz,
  replaced_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null default now()
);
create index oauth_tokens_grant on oauth_tokens (grant_id);
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists oauth_tokens; drop table if exists oauth_codes; drop table if exists oauth_grants; drop table if exists oauth_apps;`.execute(db);
}
