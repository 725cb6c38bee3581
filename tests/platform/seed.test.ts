import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { apiClient, buildApi } from '../helpers/api.ts';
import { seedDemoAccount } from '../../src/platform/seed/seed.ts';
import { accountContentChecksum } from '../../src/platform/seed/seed-checksum.ts';
import { signIn } from '../../src/platform/api-tokens.ts';

let a: TestContext;
let b: TestContext;
beforeAll(async () => {
  [a, b] = await Promise.all([createTestContext(), createTestContext()]);
});
afterAll(async () => {
  await Promise.all([a?.destroy(), b?.destroy()]);
});

describe('lmc seed', () => {
  it('is reproducible from the seed number, in any database', async () => {
    // an unrelated account first in one database, so ids differ between the two
    await seedDemoAccount(a.db, { users: 20, seed: 99, account: 'other' });
    const r1 = await seedDemoAccount(a.db, { users: 400, seed: 11 });
    const r2 = await seedDemoAccount(b.db, { users: 400, seed: 11 });
    expect(r1.slug).toBe('demo-11');
    expect(r1.accountId).not.toBe(r2.accountId);
    expect(r1.counts).toEqual(r2.counts);
    expect(await accountContentChecksum(a.db, r1.accountId)).toBe(await accountContentChecksum(b.db, r2.accountId));
    const r3 = await seedDemoAccount(b.db, { users: 400, seed: 12, account: 'demo-11b' });
    expect(await accountContentChecksum(b.db, r3.accountId)).not.toBe(await accountContentChecksum(a.db, r1.accountId));
  });

  it('has the requested size and every kind of data', async () => {
    const r = await seedDemoAccount(b.db, { users: 1000, seed: 5, enrollments: 3000 });
    const acc = r.accountId;
    const one = async <T,>(q: ReturnType<typeof sql<T>>) => (await q.execute(b.db)).rows[0];
    expect(await one(sql<{ n: number }>`select count(*)::int as n from users where account_id = ${acc}`)).toEqual({ n: 1000 });
    const e = await one(sql<{ n: number }>`select count(*)::int as n from enrollments where account_id = ${acc}`);
    expect(e.n).toBe(r.counts.enrollments);
    expect(e.n).toBeGreaterThan(2950);
    expect(e.n).toBeLessThanOrEqual(3000);
    // a manager hierarchy of about six levels
    const depth = await one(sql<{ d: number }>`
      with recursive t(id, d) as (select id, 1 from users where account_id = ${acc} and manager_id is null
        union all select u.id, t.d + 1 from users u join t on u.manager_id = t.id) select max(d)::int as d from t`);
    expect(depth.d).toBe(6);
    // enrollments in every status, directly and through learning paths
    const st = (await sql<{ status: string; via: boolean }>`select distinct status, via_enrollment_id is not null as via from enrollments where account_id = ${acc}`.execute(b.db)).rows;
    for (const s of ['not_started', 'in_progress', 'completed', 'unenrolled']) {
      expect(st.some((x) => x.status === s && !x.via), s).toBe(true);
      expect(st.some((x) => x.status === s && x.via), `${s} via path`).toBe(true);
    }
    const misc = await one(sql<Record<string, number>>`select
      (select count(*)::int from active_fields where account_id = ${acc} and kind = 'csv' and groupable) as groupable_csv,
      (select count(*)::int from active_fields where account_id = ${acc} and kind = 'manual') as manual,
      (select count(*)::int from user_groups where account_id = ${acc} and kind = 'team') as teams,
      (select count(*)::int from user_groups where account_id = ${acc} and kind = 'field') as field_groups,
      (select count(*)::int from skills where account_id = ${acc} and retired) as retired_skills,
      (select count(distinct type)::int from trainings where account_id = ${acc}) as types,
      (select count(*)::int from training_sessions s join training_instances i on i.id = s.instance_id join trainings t on t.id = i.training_id where t.account_id = ${acc} and s.provider is not null) as virtual_sessions,
      (select count(*)::int from training_modules m join trainings t on t.id = m.training_id where t.account_id = ${acc} and m.content_type = 'aicc') as aicc,
      (select count(*)::int from skill_achievements where account_id = ${acc}) as achievements,
      (select count(distinct stars)::int from feedback where account_id = ${acc}) as star_values,
      (select count(*)::int from gamification_points where account_id = ${acc}) as points,
      (select count(*)::int from enrollments where account_id = ${acc} and completed_at < started_at) as bad_dates`);
    expect(misc).toMatchObject({ groupable_csv: 4, manual: 1, teams: 250, types: 3, star_values: 5, bad_dates: 0 });
    for (const k of ['field_groups', 'retired_skills', 'virtual_sessions', 'aicc', 'achievements', 'points']) expect(misc[k], k).toBeGreaterThan(0);
  });

  it('prints credentials that sign the administrator in', async () => {
    const r = await seedDemoAccount(a.db, { users: 10, seed: 3, enrollments: 20 });
    const s = await signIn(a.db, r.admin.email, r.admin.password);
    const app = await buildApi(a);
    try {
      const users = (await apiClient(app, s.token).get('/api/v1/users?limit=5')).data;
      expect(users.total).toBe(10);
    } finally {
      await app.close();
    }
  });
});
