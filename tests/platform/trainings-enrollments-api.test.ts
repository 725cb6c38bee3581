import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { apiClient, buildApi, createAccountWithToken } from '../helpers/api.ts';
import type { Api } from '../../src/api/types.ts';
import { createApiToken } from '../../src/platform/api-tokens.ts';

let ctx: TestContext;
let app: Api;
let admin: ReturnType<typeof apiClient>;
let accountId: number;
beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildApi(ctx);
  const a = await createAccountWithToken(ctx);
  admin = apiClient(app, a.token);
  accountId = a.account.id;
});
afterAll(async () => {
  await app?.close();
  await ctx?.destroy();
});

async function learner(email: string) {
  const u = (await admin.post('/api/v1/users', { email, name: email.split('@')[0] })).data;
  const { token } = await createApiToken(ctx.db, { accountId, userId: u.id, name: 'learner' });
  return { user: u, api: apiClient(app, token) };
}

describe('trainings, enrollments, skills, feedback through the API', () => {
  let c1: any, c2: any, lp: any, skill: any;

  it('builds a catalog: skills with levels, courses with modules, a learning path, instances and sessions', async () => {
    skill = (await admin.post('/api/v1/skills', { name: 'Safety', levels: [{ name: 'Basic', maxCredits: 10 }, { name: 'Expert', maxCredits: 20 }] })).data;
    expect(skill.levels.map((l: any) => l.level)).toEqual([1, 2]);
    c1 = (await admin.post('/api/v1/trainings', { loId: 'course:1', type: 'course', name: 'Fire safety', tags: ['mandatory'], catalogs: ['Default'], price: 50, currency: 'USD',
      skills: [{ skillLevelId: skill.levels[0].id, credits: 5 }] })).data;
    expect(c1).toMatchObject({ loId: 'course:1', price: 50, skills: [{ skill: 'Safety', level: 1, credits: 5 }], instances: [{ name: 'Default instance', isDefault: true }] });
    c2 = (await admin.post('/api/v1/trainings', { loId: 'course:2', type: 'course', name: 'First aid' })).data;
    const dup = await admin.post('/api/v1/trainings', { loId: 'course:1', type: 'course', name: 'Again' });
    expect(dup.statusCode).toBe(409);
    expect(dup.data.error).toMatchObject({ code: 'LMC_ERR_TRAINING_LO_ID_TAKEN', field: 'loId' });
    lp = (await admin.post('/api/v1/trainings', { loId: 'learningProgram:1', type: 'learning_path', name: 'Safety path', items: [c2.id, c1.id] })).data;
    expect(lp.items.map((i: any) => [i.loId, i.position])).toEqual([['course:2', 1], ['course:1', 2]]);
    const badItem = await admin.post('/api/v1/trainings', { loId: 'learningProgram:2', type: 'learning_path', name: 'Bad', items: [lp.id] });
    expect(badItem.data.error).toMatchObject({ code: 'LMC_ERR_TRAINING_BAD_ITEM', field: 'items.0' });

    expect((await admin.post(`/api/v1/trainings/${c1.id}/modules`, { name: 'Intro', kind: 'self_paced', contentType: 'aicc', launchUrl: 'https://content.test/au' })).statusCode).toBe(201);
    expect((await admin.post(`/api/v1/trainings/${c1.id}/modules`, { name: 'Live', kind: 'virtual_classroom' })).statusCode).toBe(201);
    const inst = await admin.post(`/api/v1/trainings/${c1.id}/instances`, { name: 'March cohort', seatLimit: 1, waitlistLimit: 1,
      sessions: [{ name: 'Day 1', startsAt: '2026-03-01T09:00:00Z', endsAt: '2026-03-01T12:00:00Z', provider: 'zoom', meeting: { url: 'https://zoom.test/j/1', meetingId: '1' } }] });
    expect(inst.statusCode).toBe(201);
    const badSession = await admin.post(`/api/v1/instances/${inst.data.id}/sessions`, { name: 'Bad', startsAt: '2026-03-02T09:00:00Z', endsAt: '2026-03-02T08:00:00Z' });
    expect(badSession.data.error).toMatchObject({ code: 'LMC_ERR_TRAINING_BAD_SESSION_TIMES', field: 'body.endsAt' });
    const detail = (await admin.get('/api/v1/trainings/course:1')).data;
    expect(detail.modules.map((m: any) => [m.kind, m.contentType])).toEqual([['self_paced', 'aicc'], ['virtual_classroom', null]]);
    expect(detail.instances[1]).toMatchObject({ name: 'March cohort', seatLimit: 1, waitlistLimit: 1, sessions: [{ provider: 'zoom', meeting: { meetingId: '1' } }] });
    const list = (await admin.get('/api/v1/trainings?type=course&search=safety')).data;
    expect(list.items.map((t: any) => t.loId)).toEqual(['course:1']);
  });

  it('enrolling in a learning path enrolls in its courses, remembering the path; completing them completes the path', async () => {
    const { user, api } = await learner('lea@acme.test');
    const e = await admin.post('/api/v1/enrollments', { user: user.email, trainingId: lp.id });
    expect(e.statusCode).toBe(201);
    const mine = (await api.get('/api/v1/me/enrollments')).data.items;
    expect(mine.map((x: any) => [x.loId, x.viaEnrollmentId])).toEqual([['learningProgram:1', null], ['course:2', e.data.id], ['course:1', e.data.id]]);
    const again = await admin.post('/api/v1/enrollments', { user: user.id, trainingId: lp.id });
    expect(again.data.error.code).toBe('LMC_ERR_ENROLLMENT_ALREADY_ENROLLED');

    const [, ec2, ec1] = mine;
    const started = (await admin.patch(`/api/v1/enrollments/${ec2.id}`, { status: 'in_progress', progress: 30, timeSpentSeconds: 120 })).data;
    expect(started).toMatchObject({ status: 'in_progress', progress: 30, timeSpentSeconds: 120 });
    expect(started.startedAt).not.toBeNull();
    const done = (await admin.patch(`/api/v1/enrollments/${ec2.id}`, { status: 'completed', score: 88 })).data;
    expect(done).toMatchObject({ status: 'completed', progress: 100, score: 88 });
    expect((await admin.get(`/api/v1/enrollments/${e.data.id}`)).data).toMatchObject({ status: 'in_progress', progress: 50 });
    const back = await admin.patch(`/api/v1/enrollments/${ec2.id}`, { status: 'in_progress' });
    expect(back.data.error).toMatchObject({ code: 'LMC_ERR_ENROLLMENT_BAD_TRANSITION', field: 'status' });
    expect((await admin.patch(`/api/v1/enrollments/${ec1.id}`, { status: 'completed' })).statusCode).toBe(200);
    const path = (await admin.get(`/api/v1/enrollments/${e.data.id}`)).data;
    expect(path).toMatchObject({ status: 'completed', progress: 100 });
    expect(path.completedAt).not.toBeNull();
    // completing course:1 granted its skill credits and points
    const ach = (await api.get('/api/v1/me/skill-achievements')).data;
    expect(ach).toEqual([expect.objectContaining({ skill: 'Safety', level: 1, credits: 5 })]);
    expect((await api.get('/api/v1/me/points')).data.total).toBe(30);
  });

  it('honours seat and waitlist limits, unenrolls and re-enrolls', async () => {
    const inst = (await admin.get('/api/v1/trainings/course:1')).data.instances.find((i: any) => i.name === 'March cohort');
    const a = await learner('a@acme.test');
    const b = await learner('b@acme.test');
    const c = await learner('c@acme.test');
    const ea = (await a.api.post('/api/v1/me/enrollments', { instanceId: inst.id })).data;
    const eb = (await admin.post('/api/v1/enrollments', { user: b.user.id, instanceId: inst.id })).data;
    expect([ea.waitlisted, eb.waitlisted]).toEqual([false, true]);
    const full = await admin.post('/api/v1/enrollments', { user: c.user.id, instanceId: inst.id });
    expect(full.statusCode).toBe(409);
    expect(full.data.error.code).toBe('LMC_ERR_ENROLLMENT_FULL');
    const un = (await admin.delete(`/api/v1/enrollments/${ea.id}`)).data;
    expect(un.status).toBe('unenrolled');
    expect(un.unenrolledAt).not.toBeNull();
    expect((await admin.get(`/api/v1/enrollments/${eb.id}`)).data.waitlisted).toBe(false); // promoted to the freed seat
    const re = (await admin.post('/api/v1/enrollments', { user: a.user.id, instanceId: inst.id })).data;
    expect(re).toMatchObject({ id: ea.id, status: 'not_started', waitlisted: true });
    await admin.patch(`/api/v1/instances/${inst.id}`, { state: 'retired' });
    expect((await admin.post('/api/v1/enrollments', { user: c.user.id, instanceId: inst.id })).data.error.code).toBe('LMC_ERR_ENROLLMENT_INSTANCE_RETIRED');
  });

  it('feedback: 1-5 stars, one per learner per training, only when enrolled', async () => {
    const { api } = await learner('fb@acme.test');
    const notEnrolled = await api.post('/api/v1/me/feedback', { trainingId: c2.id, stars: 4 });
    expect(notEnrolled.data.error).toMatchObject({ code: 'LMC_ERR_ENROLLMENT_NOT_ENROLLED', field: 'trainingId' });
    await api.post('/api/v1/me/enrollments', { trainingId: c2.id });
    for (const stars of [0, 6, 2.5]) {
      const bad = await api.post('/api/v1/me/feedback', { trainingId: c2.id, stars });
      expect(bad.statusCode, `stars ${stars}`).toBe(400);
      expect(bad.data.error).toMatchObject({ code: 'LMC_ERR_COMMON_VALIDATION', field: 'body.stars' });
    }
    expect((await api.post('/api/v1/me/feedback', { trainingId: c2.id, stars: 2, comment: 'meh' })).statusCode).toBe(201);
    expect((await api.post('/api/v1/me/feedback', { trainingId: c2.id, stars: 5, comment: 'better on second look' })).data.stars).toBe(5);
    const all = (await admin.get(`/api/v1/feedback?trainingId=${c2.id}`)).data;
    expect(all.map((f: any) => [f.email, f.stars])).toEqual([['fb@acme.test', 5]]);
  });

  it('retired skills stay on achievements but cannot be granted', async () => {
    const retired = (await admin.patch(`/api/v1/skills/${skill.id}`, { retired: true })).data;
    expect(retired.retired).toBe(true);
    const r = await admin.post('/api/v1/trainings', { loId: 'course:3', type: 'course', name: 'X', skills: [{ skillLevelId: skill.levels[1].id, credits: 1 }] });
    expect(r.data.error).toMatchObject({ code: 'LMC_ERR_SKILL_RETIRED', field: 'skills.0.skillLevelId' });
    const ach = (await admin.get('/api/v1/skill-achievements')).data;
    expect(ach[0]).toMatchObject({ skill: 'Safety', skillRetired: true });
  });

  it('gamification, account options, tokens', async () => {
    expect((await admin.post('/api/v1/gamification/points', { user: 'lea@acme.test', points: 7, reason: 'helpful answer' })).statusCode).toBe(201);
    const board = (await admin.get('/api/v1/gamification/leaderboard')).data;
    expect(board[0]).toMatchObject({ email: 'lea@acme.test', points: 37 });
    expect((await admin.patch('/api/v1/account', { learningPathsEnabled: false })).data.learningPathsEnabled).toBe(false);
    const t = (await admin.post('/api/v1/tokens', { name: 'ci' })).data;
    expect(t.token).toMatch(/^lmc_/);
    const list = (await admin.get('/api/v1/tokens')).data;
    expect(JSON.stringify(list)).not.toContain(t.token);
    expect((await admin.delete(`/api/v1/tokens/${t.id}`)).statusCode).toBe(204);
    expect((await apiClient(app, t.token).get('/api/v1/me')).statusCode).toBe(401);
  });

  it('a learner token gets 403 on admin routes', async () => {
    const { api } = await learner('nosy@acme.test');
    const calls: Array<[string, string, unknown?]> = [
      ['get', '/api/v1/trainings'], ['post', '/api/v1/trainings', { loId: 'x', type: 'course', name: 'x' }], ['get', '/api/v1/enrollments'],
      ['post', '/api/v1/enrollments', { user: 1, trainingId: 1 }], ['patch', '/api/v1/enrollments/1', {}], ['delete', '/api/v1/enrollments/1'],
      ['get', '/api/v1/skills'], ['post', '/api/v1/skills', { name: 'x' }], ['get', '/api/v1/feedback'], ['get', '/api/v1/gamification/leaderboard'],
      ['post', '/api/v1/gamification/points', {}], ['get', '/api/v1/account'], ['get', '/api/v1/tokens'], ['post', '/api/v1/tokens', { name: 'x' }],
      ['patch', '/api/v1/users/1', {}], ['get', '/api/v1/active-fields'],
    ];
    for (const [m, url, body] of calls) {
      const r = await (api as any)[m](url, body);
      expect(r.statusCode, `${m} ${url}`).toBe(403);
    }
    // and learner-facing routes work for them
    expect((await api.get('/api/v1/me/enrollments')).statusCode).toBe(200);
    expect((await api.get('/api/v1/me/points')).statusCode).toBe(200);
  });
});
