import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';

/**
 * A checksum of an account's content that ignores ids, creation times of the account and passwords:
 * two accounts seeded with the same seed and size give the same value, whatever database they live in.
 */
export async function accountContentChecksum(db: Database, accountId: number): Promise<string> {
  const r = await sql<{ md5: string }>`
    select md5(string_agg(part, '|' order by ord)) as md5 from (
      select 1 as ord, (select md5(coalesce(string_agg(concat_ws(',', u.email, u.name, m.email, u.user_type, u.state, u.roles::text, u.external_ids::text, u.profile::text, u.fields::text, u.created_at::text), ';' order by u.email), '')) from users u left join users m on m.id = u.manager_id where u.account_id = ${accountId}) as part
      union all select 2, (select md5(coalesce(string_agg(concat_ws(',', t.lo_id, t.type, t.name, t.author, t.duration_minutes, t.tags::text, t.catalogs::text, t.price, t.state), ';' order by t.lo_id), '')) from trainings t where t.account_id = ${accountId})
      union all select 3, (select md5(coalesce(string_agg(concat_ws(',', u.email, t.lo_id, i.name, e.status, e.progress, e.score, e.enrolled_at::text, e.started_at::text, e.completed_at::text, e.unenrolled_at::text, e.time_spent_seconds, pt.lo_id), ';' order by u.email, t.lo_id, i.name), ''))
        from enrollments e join users u on u.id = e.user_id join trainings t on t.id = e.training_id join training_instances i on i.id = e.instance_id
        left join enrollments pe on pe.id = e.via_enrollment_id left join trainings pt on pt.id = pe.training_id where e.account_id = ${accountId})
      union all select 4, (select md5(coalesce(string_agg(concat_ws(',', g.kind, g.name, (select count(*) from user_group_membership gm where gm.group_id = g.id)), ';' order by g.kind, g.name), '')) from user_groups g where g.account_id = ${accountId})
      union all select 5, (select md5(coalesce(string_agg(concat_ws(',', u.email, t.lo_id, f.stars, f.comment), ';' order by u.email, t.lo_id), '')) from feedback f join users u on u.id = f.user_id join trainings t on t.id = f.training_id where f.account_id = ${accountId})
      union all select 6, (select md5(coalesce(string_agg(concat_ws(',', u.email, s.name, sl.level, a.credits, a.achieved_at::text), ';' order by u.email, s.name, sl.level, a.achieved_at), '')) from skill_achievements a join users u on u.id = a.user_id join skill_levels sl on sl.id = a.skill_level_id join skills s on s.id = sl.skill_id where a.account_id = ${accountId})
      union all select 7, (select md5(coalesce(string_agg(concat_ws(',', u.email, p.points, p.reason, p.awarded_at::text), ';' order by u.email, p.awarded_at, p.reason, p.points), '')) from gamification_points p join users u on u.id = p.user_id where p.account_id = ${accountId})
    ) parts`.execute(db);
  return r.rows[0].md5;
}
