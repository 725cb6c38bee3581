import { sql, type Kysely } from 'kysely';

// The connector engine: connections (secrets encrypted), per-action settings and schedules, runs (the
// truth the API reads; pg-boss only carries "run #n is due"), their logs, error reports, files, notifications.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table connections (
  id bigint generated always as identity primary key,
  account_id bigint not null references accounts(id) on delete cascade,
  connector_id text not null,
  name text not null,
  -- connector id + lower(name): runs carry it, so history comes back when the connection is re-created.
  history_key text not null,
  enabled boolean not null default true,
  -- secret fields replaced by {"$enc": "v1:iv:tag:ciphertext"} (AES-256-GCM)
  settings jsonb not null default '{}',
  created_by bigint references users(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz
);
create unique index connections_live_name on connections (account_id, history_key) where deleted_at is null;

create table action_settings (
  connection_id bigint not null references connections(id) on delete cascade,
  action_id text not null,
  options jsonb not null default '{}',
  updated_at timestamptz not null default now(),
  primary key (connection_id, action_id)
);

create table schedules (
  connection_id bigint not null references connections(id) on delete cascade,
  action_id text not null,
  account_id bigint not null references accounts(id) on delete cascade,
  enabled boolean not null default true,
  start_local text not null,            -- 'YYYY-MM-DDTHH:mm' in time_zone
  time_zone text not null,
  every_n integer not null check (every_n > 0),
  unit text not null check (unit in ('days', 'hours')),
  next_due_at timestamptz,
  last_slot_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (connection_id, action_id)
);
create index schedules_due on schedules (next_due_at) where enabled;

create table runs (
  id bigint generated always as identity primary key,
  account_id bigint not null references accounts(id) on delete cascade,
  connection_id bigint not null references connections(id) on delete cascade,
  history_key text not null,
  connector_id text not null,
  action_id text not null,
  type text not null check (type in ('import', 'export')),
  trigger text not null check (trigger in ('on_demand', 'schedule', 'rerun')),
  started_by bigint references users(id) on delete set null,
  slot_at timestamptz,
  window_since timestamptz,
  window_until timestamptz,
  status text not null default 'queued'
    check (status in ('queued', 'running', 'completed', 'completed_with_errors', 'needs_approval', 'failed', 'cancelled')),
  options jsonb not null default '{}',
  dry_run boolean not null default false,
  approved boolean not null default false,
  approval_reason text,
  approval_summary jsonb,
  disable_access boolean not null default false,
  counts jsonb not null default '{"read":0,"created":0,"updated":0,"unchanged":0,"skipped":0,"rejected":0}',
  progress_done bigint not null default 0,
  progress_total bigint,
  progress_phase text,
  error text,
  note text,
  cancel_requested boolean not null default false,
  worker_id text,
  lease_expires_at timestamptz,
  heartbeat_at timestamptz,
  rerun_of bigint references runs(id) on delete set null,
  queued_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create index runs_history on runs (account_id, history_key, action_id, id);
create index runs_account on runs (account_id, id);
-- two runs of one connection action never overlap: at most one running at a time
create unique index runs_one_running on runs (account_id, history_key, action_id) where status = 'running';
-- a schedule slot yields one run, whatever the number of schedulers
create unique index runs_one_per_slot on runs (connection_id, action_id, slot_at) where slot_at is not null;
create index runs_running_lease on runs (lease_expires_at) where status = 'running';
create index runs_maintenance on runs (account_id) where status = 'running' and disable_access;

create table run_logs (
  run_id bigint not null references runs(id) on delete cascade,
  seq integer not null,
  at timestamptz not null default now(),
  level text not null,
  message text not null,
  data jsonb,
  primary key (run_id, seq)
);

create table run_rejects (
  run_id bigint not null references runs(id) on delete cascade,
  seq integer not null,
  source text not null,
  line integer,
  record_id text,
  field text,
  reason text not null,
  primary key (run_id, seq)
);

create table run_files (
  run_id bigint not null references runs(id) on delete cascade,
  name text not null,
  content_type text not null,
  size bigint not null,
  data bytea not null,
  created_at timestamptz not null default now(),
  primary key (run_id, name)
);

create table notifications (
  id bigint generated always as identity primary key,
  account_id bigint not null references accounts(id) on delete cascade,
  run_id bigint references runs(id) on delete cascade,
  kind text not null,
  title text not null,
  body text not null default '',
  created_at timestamptz not null default now()
);
create index notifications_account on notifications (account_id, id);
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists notifications, run_files, run_rejects, run_logs, runs, schedules, action_settings, connections cascade`.execute(db);
}
