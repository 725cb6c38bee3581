import { sql } from 'kysely';
import type { AppContext } from '../../src/app-context.ts';

/**
 * An account with `users` learners each enrolled in `perUser` courses, made set-based in SQL (for tests that
 * need a report of some size). Enrollment dates spread over March 2026; every third is completed.
 */
export async function buildBulkAccount(ctx: AppContext, opts: { users: number; perUser: number; slug?: string }): Promise<{ accountId: number; enrollments: number }> {
  const acc = await ctx.db.insertInto('accounts').values({ name: 'Bulk', slug: opts.slug ?? 'bulk' }).returning('id').executeTakeFirstOrThrow();
  const a = acc.id;
  await sql`insert into users (account_id, email, name, fields)
    select ${a}, 'learner' || g || '@bulk.test', 'Learner ' || g, jsonb_build_object('Department', 'Dept ' || (g % 7))
    from generate_series(1, ${opts.users}) g`.execute(ctx.db);
  await sql`insert into trainings (account_id, lo_id, type, name) select ${a}, 'course:' || g, 'course', 'Course ' || g from generate_series(1, ${opts.perUser}) g`.execute(ctx.db);
  await sql`insert into training_instances (training_id, name, is_default) select id, 'Default', true from trainings where account_id = ${a}`.execute(ctx.db);
  await sql`insert into enrollments (account_id, user_id, training_id, instance_id, status, progress, enrolled_at, completed_at, updated_at)
    select ${a}, u.id, t.id, i.id,
      case when (u.id + t.id) % 3 = 0 then 'completed' else 'in_progress' end,
      case when (u.id + t.id) % 3 = 0 then 100 else 40 end,
      timestamptz '2026-03-01' + ((u.id * 7 + t.id) % 28) * interval '1 day',
      case when (u.id + t.id) % 3 = 0 then timestamptz '2026-03-02' + ((u.id * 7 + t.id) % 28) * interval '1 day' end,
      timestamptz '2026-03-02' + ((u.id * 7 + t.id) % 28) * interval '1 day'
    from users u cross join trainings t join training_instances i on i.training_id = t.id
    where u.account_id = ${a} and t.account_id = ${a}`.execute(ctx.db);
  return { accountId: a, enrollments: opts.users * opts.perUser };
}
