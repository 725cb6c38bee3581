import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { listEnrollments } from '../enrollments/enrollments.ts';
import { listTrainings } from '../trainings/trainings.ts';

// What a learner-facing application (the Salesforce package) shows: the catalog, recommendations and the
// learner's own progress. Writes go through the enrollments service; this file only reads.

/** The published trainings of the account (drafts and retired trainings are not offered to learners). */
export async function learnerCatalog(db: Database, accountId: number, q: { search?: string; type?: 'course' | 'learning_path' | 'certification'; limit?: number; offset?: number }) {
  return listTrainings(db, accountId, { ...q, state: 'published' });
}

/**
 * Recommendations, by one documented rule (docs/oauth-apps.md): published trainings the learner has no live
 * enrollment in, that teach a skill of a training the learner completed or follows, first; then the rest;
 * within each, the most enrolled in the account first (popularity among colleagues), then the newest.
 * `reason` says which rule picked each one.
 * @example await recommendations(db, accountId, userId, 5)
 */
export async function recommendations(db: Database, accountId: number, userId: number, limit = 10) {
  const r = await sql<{ id: number; lo_id: string; type: string; name: string; duration_minutes: number; learners: number; shares_skill: boolean }>`
    with mine as (
      select training_id from enrollments where account_id = ${accountId} and user_id = ${userId} and status <> 'unenrolled'
    ), my_skills as (
      select distinct l.skill_id from training_skills ts join skill_levels l on l.id = ts.skill_level_id where ts.training_id in (select training_id from mine)
    )
    select t.id, t.lo_id, t.type, t.name, t.duration_minutes,
      (select count(distinct e.user_id)::int from enrollments e where e.training_id = t.id and e.status <> 'unenrolled') as learners,
      exists (select 1 from training_skills ts join skill_levels l on l.id = ts.skill_level_id where ts.training_id = t.id and l.skill_id in (select skill_id from my_skills)) as shares_skill
    from trainings t
    where t.account_id = ${accountId} and t.state = 'published' and t.id not in (select training_id from mine)
    order by shares_skill desc, learners desc, t.created_at desc, t.id desc
    limit ${limit}`.execute(db);
  return r.rows.map((t) => ({
    trainingId: t.id, loId: t.lo_id, type: t.type, name: t.name, durationMinutes: t.duration_minutes, learners: t.learners,
    reason: t.shares_skill ? 'teaches a skill of your trainings' : t.learners > 0 ? 'popular in your organization' : 'new in the catalog',
  }));
}

/** The learner's enrollments (unenrolled ones left out unless asked). */
export async function learnerEnrollments(db: Database, accountId: number, userId: number, q: { status?: 'not_started' | 'in_progress' | 'completed' | 'unenrolled'; limit?: number; offset?: number }) {
  return listEnrollments(db, accountId, { ...q, userId });
}

/** The learner's progress: counts by status, average progress of the live enrollments, time spent, skill credits. */
export async function learnerProgress(db: Database, accountId: number, userId: number) {
  const r = await sql<{ not_started: number; in_progress: number; completed: number; avg_progress: number | null; seconds: number }>`
    select count(*) filter (where status = 'not_started')::int as not_started, count(*) filter (where status = 'in_progress')::int as in_progress,
      count(*) filter (where status = 'completed')::int as completed, round(avg(progress))::int as avg_progress, coalesce(sum(time_spent_seconds), 0)::int as seconds
    from enrollments where account_id = ${accountId} and user_id = ${userId} and status <> 'unenrolled'`.execute(db);
  const credits = await sql<{ credits: number }>`select coalesce(sum(credits), 0)::float as credits from skill_achievements where account_id = ${accountId} and user_id = ${userId}`.execute(db);
  const c = r.rows[0];
  return {
    enrollments: { notStarted: c.not_started, inProgress: c.in_progress, completed: c.completed },
    averageProgress: c.avg_progress ?? 0, timeSpentSeconds: c.seconds, skillCredits: Number(credits.rows[0]?.credits ?? 0),
  };
}
