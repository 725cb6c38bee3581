import { sql, type Kysely } from 'kysely';

// Additions of the platform services to the core model: the account's learning-path option (reports follow
// it), waitlisted enrollments (instances have a waitlist), and the indexes the admin API's lists and the
// seat counts use.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table accounts add column learning_paths_enabled boolean not null default true;
alter table enrollments add column waitlisted boolean not null default false;
create index users_account_state on users (account_id, state, id);
create index user_groups_account on user_groups (account_id, kind);
create index trainings_account_type on trainings (account_id, type, id);
create index enrollments_instance on enrollments (instance_id, status);
create index enrollments_account_user on enrollments (account_id, user_id);
create index feedback_account on feedback (account_id);
create index gamification_points_account on gamification_points (account_id, awarded_at);
create index skills_account on skills (account_id, id);
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
drop index if exists users_account_state, user_groups_account, trainings_account_type, enrollments_instance,
  enrollments_account_user, feedback_account, gamification_points_account, skills_account;
alter table enrollments drop column if exists waitlisted;
alter table accounts drop column if exists learning_paths_enabled;
`.execute(db);
}
