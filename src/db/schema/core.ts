import type { ColumnType, Generated, JSONColumnType } from 'kysely';

// Row types of migrations/0001-core.ts. Keep in step with that file (a test compares them with the database).
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T extends object | null> = JSONColumnType<T, string | T | undefined, string | T>;

export type UserState = 'active' | 'suspended' | 'deleted';
export type UserType = 'internal' | 'external';
export type Role = 'learner' | 'manager' | 'author' | 'admin' | 'integration_admin';
export type TrainingType = 'course' | 'learning_path' | 'certification';
export type EnrollmentStatus = 'not_started' | 'in_progress' | 'completed' | 'unenrolled';

export interface AccountsTable {
  id: Generated<number>;
  name: string;
  slug: string;
  created_at: DefaultTimestamp;
  maintenance_run_id: number | null;
  maintenance_until: Timestamp | null;
  /** added by 0005-platform */
  learning_paths_enabled: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface UsersTable {
  id: Generated<number>;
  account_id: number;
  email: string;
  name: string;
  manager_id: number | null;
  user_type: ColumnType<UserType, UserType | undefined, UserType>;
  state: ColumnType<UserState, UserState | undefined, UserState>;
  roles: ColumnType<Role[], Role[] | undefined, Role[]>;
  external_ids: Json<Record<string, string>>;
  data_source_id: number | null;
  profile: Json<Record<string, string>>;
  fields: Json<Record<string, string>>;
  password_hash: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  /** added by 0012-auth-security: SHA-256 of a one-time password reset token and when it lapses */
  reset_token_hash: ColumnType<string | null, string | null | undefined, string | null>;
  reset_expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** added by 0012-auth-security: failed sign-ins per key ("user:<email>", "address:<ip>"). */
export interface SignInThrottleTable {
  key: string;
  failures: ColumnType<number, number | undefined, number>;
  last_failure_at: DefaultTimestamp;
  locked_until: Timestamp | null;
}

export interface ActiveFieldsTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  kind: 'csv' | 'manual';
  groupable: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: DefaultTimestamp;
}

export interface UserGroupsTable {
  id: Generated<number>;
  account_id: number;
  kind: 'field' | 'team' | 'custom';
  name: string;
  field_id: number | null;
  field_value: string | null;
  manager_id: number | null;
  created_at: DefaultTimestamp;
}

/** Members of custom groups only (automatic groups' members are derived: UserGroupMembershipView). */
export interface UserGroupMembersTable {
  group_id: number;
  user_id: number;
}

/** The view user_group_membership (migration 0006): members of every group, stored or derived. Read only. */
export interface UserGroupMembershipView {
  group_id: number;
  user_id: number;
}

export interface SkillsTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  description: string | null;
  retired: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: DefaultTimestamp;
}

export interface SkillLevelsTable {
  id: Generated<number>;
  skill_id: number;
  level: number;
  name: string;
  max_credits: ColumnType<number, number | undefined, number>;
}

export interface TrainingsTable {
  id: Generated<number>;
  account_id: number;
  lo_id: string;
  type: TrainingType;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  author: ColumnType<string, string | undefined, string>;
  duration_minutes: ColumnType<number, number | undefined, number>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  catalogs: ColumnType<string[], string[] | undefined, string[]>;
  price: number | null;
  currency: string | null;
  state: ColumnType<'draft' | 'published' | 'retired', 'draft' | 'published' | 'retired' | undefined>;
  external_connector: string | null;
  external_id: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface TrainingItemsTable {
  parent_id: number;
  child_id: number;
  position: number;
}

export interface TrainingSkillsTable {
  training_id: number;
  skill_level_id: number;
  credits: ColumnType<number, number | undefined, number>;
}

export interface TrainingInstancesTable {
  id: Generated<number>;
  training_id: number;
  name: string;
  is_default: ColumnType<boolean, boolean | undefined, boolean>;
  seat_limit: number | null;
  waitlist_limit: number | null;
  state: ColumnType<'active' | 'retired', 'active' | 'retired' | undefined>;
  created_at: DefaultTimestamp;
}

export interface TrainingSessionsTable {
  id: Generated<number>;
  instance_id: number;
  name: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  provider: string | null;
  meeting: Json<Record<string, unknown>>;
}

export interface TrainingModulesTable {
  id: Generated<number>;
  training_id: number;
  position: number;
  name: string;
  kind: 'self_paced' | 'virtual_classroom' | 'classroom';
  content_type: string | null;
  launch_url: string | null;
  duration_minutes: ColumnType<number, number | undefined, number>;
}

export interface EnrollmentsTable {
  id: Generated<number>;
  account_id: number;
  user_id: number;
  training_id: number;
  instance_id: number;
  status: ColumnType<EnrollmentStatus, EnrollmentStatus | undefined, EnrollmentStatus>;
  progress: ColumnType<number, number | undefined, number>;
  score: number | null;
  enrolled_at: DefaultTimestamp;
  started_at: Timestamp | null;
  completed_at: Timestamp | null;
  unenrolled_at: Timestamp | null;
  time_spent_seconds: ColumnType<number, number | undefined, number>;
  via_enrollment_id: number | null;
  updated_at: DefaultTimestamp;
  /** added by 0005-platform: on the instance's waitlist, not holding a seat */
  waitlisted: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface SkillAchievementsTable {
  id: Generated<number>;
  account_id: number;
  user_id: number;
  skill_level_id: number;
  credits: ColumnType<number, number | undefined, number>;
  achieved_at: DefaultTimestamp;
  training_id: number | null;
}

export interface FeedbackTable {
  id: Generated<number>;
  account_id: number;
  user_id: number;
  training_id: number;
  stars: number;
  comment: ColumnType<string, string | undefined, string>;
  created_at: DefaultTimestamp;
}

export interface GamificationPointsTable {
  id: Generated<number>;
  account_id: number;
  user_id: number;
  points: number;
  reason: string;
  training_id: number | null;
  awarded_at: DefaultTimestamp;
}

export interface ApiTokensTable {
  id: Generated<number>;
  account_id: number;
  user_id: number;
  name: string;
  kind: ColumnType<'api' | 'session', 'api' | 'session' | undefined>;
  token_hash: string;
  prefix: string;
  created_at: DefaultTimestamp;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

/** Migration 0018: the vendor record each imported user came from, per connection. */
export interface UserSourceIdsTable {
  connection_id: number;
  source_id: string;
  user_id: number;
  updated_at: ColumnType<Date, string | undefined, string>;
}

export interface CoreTables {
  accounts: AccountsTable;
  users: UsersTable;
  user_source_ids: UserSourceIdsTable;
  active_fields: ActiveFieldsTable;
  user_groups: UserGroupsTable;
  user_group_members: UserGroupMembersTable;
  user_group_membership: UserGroupMembershipView;
  skills: SkillsTable;
  skill_levels: SkillLevelsTable;
  trainings: TrainingsTable;
  training_items: TrainingItemsTable;
  training_skills: TrainingSkillsTable;
  training_instances: TrainingInstancesTable;
  training_sessions: TrainingSessionsTable;
  training_modules: TrainingModulesTable;
  enrollments: EnrollmentsTable;
  skill_achievements: SkillAchievementsTable;
  feedback: FeedbackTable;
  gamification_points: GamificationPointsTable;
  api_tokens: ApiTokensTable;
  sign_in_throttle: SignInThrottleTable;
}
