import { sql, type Kysely } from 'kysely';

// The learning platform's own model. Every row belongs to an account. Kept as plain SQL: it is the
// contract every area reads, and SQL is the clearest statement of constraints and indexes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table accounts (
  id bigint generated always as identity primary key,
  name text not null,
  slug text not null unique,
  created_at timestamptz not null default now(),
  -- "Disable access during execution": the learner-facing API answers 503 while this run is running.
  maintenance_run_id bigint,
  maintenance_until timestamptz
);

create table users (
  id bigint generated always as identity primary key,
  account_id bigint not null references accounts(id) on delete cascade,
  email text not null,
  name text not null,
  manager_id bigint references users(id) on delete set null,
  user_type text not null default 'internal' check (user_type in ('internal', 'external')),
  state text not null default 'active' check (state in ('active', 'suspended', 'deleted')),
  roles text[] not null default '{learner}',
  -- {"hr_uuid": "...", "<connector>": "..."}: set by connectors; hr_uuid cannot be cleared by the admin API.
  external_ids jsonb not null default '{}',
  -- the connection (data source) that owns this user; null for users made by hand.
  data_source_id bigint,
  -- fixed profile fields: {"title": ..., "location": ..., "phone": ..., ...}
  profile jsonb not null default '{}',
  -- active field values by active field name
  fields jsonb not null default '{}',
  password_hash text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index users_account_email on users (account_id, lower(email));
create index users_manager on users (manager_id);
create index users_data_source on users (data_source_id) where data_source_id is not null;
create index users_email_any_account on users (lower(email));

create table active_fields (
  id bigint generated always as identity primary key,
  account_id bigint not null references accounts(id) on delete cascade,
  name text not null,
  kind text not null check (kind in ('csv', 'manual')),
  groupable boolean not null default false,
  created_at timestamptz not null default now()
);
create unique index active_fields_account_name on active_fields (account_id, lower(name));

-- Groups are maintained automatically: one per value of a group-able field, one per manager's team;
-- 'custom' groups are made by admins.
create table user_groups (
  id bigint generated always as identity primary key,
  account_id bigint not null references accounts(id) on delete cascade,
  kind text not null check (kind in ('field', 'team', 'custom')),
  name text not null,
  field_id bigint references active_fields(id) on delete cascade,
  field_value text,
  manager_id bigint references users(id) on delete cascade,
  created_at timestamptz not null default now()
);
create unique index user_groups_field_value on user_groups (field_id, field_value) where kind = 'field';
create unique index user_groups_team on user_groups (manager_id) where kind = 'team';
create unique index user_groups_custom on user_groups (account_id, name) where kind = 'custom';

create table user_group_members (
  group_id bigint not null references user_groups(id) on delete cascade,
  user_id bigint not null references users(id) on delete cascade,
  primary key (group_id, user_id)
);
create index user_group_members_user on user_group_members (user_id);

create table skills (
  id bigint generated always as identity primary key,
  account_id bigint not null references accounts(id) on delete cascade,
  name text not null,
  description text,
  retired boolean not null default false,
  created_at timestamptz not null default now()
);
create unique index skills_account_name on skills (account_id, lower(name));

create table skill_levels (
  id bigint generated always as identity primary key,
  skill_id bigint not null references skills(id) on delete cascade,
  level int not null check (level >= 1),
  name text not null,
  max_credits numeric not null default 0,
  unique (skill_id, level)
);

create table trainings (
  id bigint generated always as identity primary key,
  account_id bigint not null references accounts(id) on delete cascade,
  lo_id text not null,
  type text not null check (type in ('course', 'learning_path', 'certification')),
  name text not null,
  description text not null default '',
  author text not null default '',
  duration_minutes int not null default 0,
  tags text[] not null default '{}',
  catalogs text[] not null default '{}',
  price numeric,
  currency text,
  state text not null default 'published' check (state in ('draft', 'published', 'retired')),
  external_connector text,
  external_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (account_id, lo_id)
);
create unique index trainings_external on trainings (account_id, external_connector, external_id) where external_id is not null;

-- A learning path's ordered courses (and a certification's required courses).
create table training_items (
  parent_id bigint not null references trainings(id) on delete cascade,
  child_id bigint not null references trainings(id) on delete restrict,
  position int not null,
  primary key (parent_id, child_id)
);

create table training_skills (
  training_id bigint not null references trainings(id) on delete cascade,
  skill_level_id bigint not null references skill_levels(id) on delete cascade,
  credits numeric not null default 0,
  primary key (training_id, skill_level_id)
);

create table training_instances (
  id bigint generated always as identity primary key,
  training_id bigint not null references trainings(id) on delete cascade,
  name text not null,
  is_default boolean not null default false,
  seat_limit int,
  waitlist_limit int,
  state text not null default 'active' check (state in ('active', 'retired')),
  created_at timestamptz not null default now(),
  unique (training_id, name)
);

create table training_sessions (
  id bigint generated always as identity primary key,
  instance_id bigint not null references training_instances(id) on delete cascade,
  name text not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  -- virtual classroom: 'zoom' | 'teams' | 'adobe_connect'; null for classroom sessions
  provider text,
  meeting jsonb not null default '{}',
  check (ends_at > starts_at)
);
create index training_sessions_instance on training_sessions (instance_id);

create table training_modules (
  id bigint generated always as identity primary key,
  training_id bigint not null references trainings(id) on delete cascade,
  position int not null,
  name text not null,
  kind text not null check (kind in ('self_paced', 'virtual_classroom', 'classroom')),
  -- self-paced content: 'scorm' | 'aicc' | 'xapi' | 'video' | 'document' | 'link'
  content_type text,
  launch_url text,
  duration_minutes int not null default 0
);
create index training_modules_training on training_modules (training_id);

create table enrollments (
  id bigint generated always as identity primary key,
  account_id bigint not null references accounts(id) on delete cascade,
  user_id bigint not null references users(id) on delete cascade,
  training_id bigint not null references trainings(id) on delete cascade,
  instance_id bigint not null references training_instances(id) on delete cascade,
  status text not null default 'not_started' check (status in ('not_started', 'in_progress', 'completed', 'unenrolled')),
  progress int not null default 0 check (progress between 0 and 100),
  score numeric,
  enrolled_at timestamptz not null default now(),
  started_at timestamptz,
  completed_at timestamptz,
  unenrolled_at timestamptz,
  time_spent_seconds int not null default 0,
  -- a course enrollment made through a learning path remembers the path's enrollment
  via_enrollment_id bigint references enrollments(id) on delete set null,
  updated_at timestamptz not null default now(),
  unique (user_id, instance_id)
);
create index enrollments_account_updated on enrollments (account_id, updated_at);
create index enrollments_training on enrollments (training_id);
create index enrollments_via on enrollments (via_enrollment_id) where via_enrollment_id is not null;

create table skill_achievements (
  id bigint generated always as identity primary key,
  account_id bigint not null references accounts(id) on delete cascade,
  user_id bigint not null references users(id) on delete cascade,
  skill_level_id bigint not null references skill_levels(id) on delete cascade,
  credits numeric not null default 0,
  achieved_at timestamptz not null default now(),
  training_id bigint references trainings(id) on delete set null
);
create index skill_achievements_account_date on skill_achievements (account_id, achieved_at);
create index skill_achievements_user on skill_achievements (user_id);

create table feedback (
  id bigint generated always as identity primary key,
  account_id bigint not null references accounts(id) on delete cascade,
  user_id bigint not null references users(id) on delete cascade,
  training_id bigint not null references trainings(id) on delete cascade,
  stars int not null check (stars between 1 and 5),
  comment text not null default '',
  created_at timestamptz not null default now(),
  unique (user_id, training_id)
);
create index feedback_training on feedback (training_id);

create table gamification_points (
  id bigint generated always as identity primary key,
  account_id bigint not null references accounts(id) on delete cascade,
  user_id bigint not null references users(id) on delete cascade,
  points int not null,
  reason text not null,
  training_id bigint references trainings(id) on delete set null,
  awarded_at timestamptz not null default now()
);
create index gamification_points_user on gamification_points (user_id);

-- Bearer tokens for the API and CLI; only a SHA-256 of the token is stored.
create table api_tokens (
  id bigint generated always as identity primary key,
  account_id bigint not null references accounts(id) on delete cascade,
  user_id bigint not null references users(id) on delete cascade,
  name text not null,
  kind text not null default 'api' check (kind in ('api', 'session')),
  token_hash text not null unique,
  prefix text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz
);
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists api_tokens, gamification_points, feedback, skill_achievements, enrollments,
    training_modules, training_sessions, training_instances, training_skills, training_items, trainings,
    skill_levels, skills, user_group_members, user_groups, active_fields, users, accounts cascade`.execute(db);
}
