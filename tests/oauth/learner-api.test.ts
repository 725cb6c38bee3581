import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../src/api/app.ts';
import type { Api } from '../../src/api/types.ts';
import { enroll, updateEnrollment } from '../../src/platform/enrollments/enrollments.ts';
import { createSkill } from '../../src/platform/skills/skills.ts';
import { createTraining } from '../../src/platform/trainings/trainings.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { accountWithPeople, authorize, http, listen, oauthClient, userWithSession } from './oauth-harness.ts';

// Issue 16: the learner API an OAuth application needs — recommendations by their documented rule, progress,
// announcements in their period, and a suspended learner's tokens refused.
let ctx: TestContext;
let app: Api;
let base: string;
let acme: Awaited<ReturnType<typeof accountWithPeople>>;
let learnerApi: ReturnType<typeof http>;
let config: Awaited<ReturnType<typeof oauthClient>>;
const REDIRECT = 'https://portal.example.test/cb';

beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildApi(ctx);
  base = await listen(ctx, app);
  acme = await accountWithPeople(ctx, base, 'Acme Learner');
  const reg = await acme.admin.api.post('/api/v1/oauth-apps', { name: 'Portal', redirectUris: [REDIRECT], scopes: ['learner:read', 'learner:write'] });
  await acme.admin.api.post(`/api/v1/oauth-apps/${reg.data.id}/approve`);
  config = await oauthClient(base, reg.data.clientId, reg.data.clientSecret);
  learnerApi = http(base, (await authorize(config, acme.learner.api, REDIRECT, 'learner:read learner:write')).tokens.access_token);
});
afterAll(async () => {
  await app?.close();
  await ctx?.destroy();
});

describe('the learner API', () => {
  it('recommends trainings sharing a skill with the learner\'s first, then the most followed, then the newest; never one already taken', async () => {
    const a = acme.account.id;
    const negotiation = await createSkill(ctx.db, a, { name: 'Negotiation' });
    const level = negotiation.levels[0].id;
    const taken = await createTraining(ctx.db, a, { loId: 'taken', type: 'course', name: 'Negotiation 101', skills: [{ skillLevelId: level, credits: 2 }] });
    await createTraining(ctx.db, a, { loId: 'popular', type: 'course', name: 'Time management' });
    await createTraining(ctx.db, a, { loId: 'newest', type: 'course', name: 'Brand new course' });
    await createTraining(ctx.db, a, { loId: 'skill', type: 'course', name: 'Negotiation 201', skills: [{ skillLevelId: level, credits: 3 }] });
    await createTraining(ctx.db, a, { loId: 'retired', type: 'course', name: 'Old stuff', state: 'retired' });
    // Two colleagues follow "Time management".
    for (const email of ['c1@acme-learner.test', 'c2@acme-learner.test']) {
      const c = await userWithSession(ctx, base, a, email, ['learner']);
      await enroll(ctx.db, a, { user: c.user.id, trainingId: (await ctx.db.selectFrom('trainings').select('id').where('lo_id', '=', 'popular').executeTakeFirstOrThrow()).id });
    }
    const e = await learnerApi.post('/api/v1/learner/enrollments', { trainingId: taken.id });
    await updateEnrollment(ctx.db, a, e.data.id, { status: 'completed' });

    const r = await learnerApi.get('/api/v1/learner/recommendations');
    expect(r.data.items.map((t: { name: string; reason: string }) => [t.name, t.reason])).toEqual([
      ['Negotiation 201', 'teaches a skill of your trainings'],
      ['Time management', 'popular in your organization'],
      ['Brand new course', 'new in the catalog'],
    ]);
    const progress = await learnerApi.get('/api/v1/learner/progress');
    expect(progress.data).toMatchObject({ enrollments: { notStarted: 0, inProgress: 0, completed: 1 }, averageProgress: 100, skillCredits: 2 });
    const catalog = await learnerApi.get('/api/v1/learner/catalog?search=negotiation');
    expect(catalog.data.items.map((t: { name: string }) => t.name)).toEqual(['Negotiation 101', 'Negotiation 201']);
    const enrolled = await learnerApi.post('/api/v1/learner/enrollments', { trainingId: taken.id });
    expect([enrolled.status, enrolled.data.error.code]).toEqual([409, 'LMC_ERR_ENROLLMENT_ALREADY_ENROLLED']);
  });

  it('announcements: only admins send them; learners see those within their period', async () => {
    expect((await acme.learner.api.post('/api/v1/announcements', { title: 'Hi' })).status).toBe(403);
    const bad = await acme.admin.api.post('/api/v1/announcements', { title: 'Backwards', startsAt: new Date(Date.now() + 7200_000).toISOString(), endsAt: new Date(Date.now() + 3600_000).toISOString() });
    expect([bad.status, bad.data.error.code, bad.data.error.field]).toEqual([400, 'LMC_ERR_ANNOUNCEMENT_BAD_PERIOD', 'endsAt']);
    await acme.admin.api.post('/api/v1/announcements', { title: 'Later', startsAt: new Date(Date.now() + 86_400_000).toISOString() });
    const now = await acme.admin.api.post('/api/v1/announcements', { title: 'Now', body: 'Quarterly goals' });
    expect((await learnerApi.get('/api/v1/learner/announcements')).data.items.map((x: { title: string }) => x.title)).toEqual(['Now']);
    expect((await acme.admin.api.delete(`/api/v1/announcements/${now.data.id}`)).status).toBe(204);
    expect((await learnerApi.get('/api/v1/learner/announcements')).data.items).toEqual([]);
    expect((await acme.admin.api.get('/api/v1/announcements')).data.map((x: { title: string }) => x.title)).toEqual(['Later']);
  });

  it('a person lists the applications they allowed and withdraws one: its tokens for them stop working', async () => {
    const { tokens } = await authorize(config, acme.learner.api, REDIRECT, 'learner:read');
    const mine = await acme.learner.api.get('/api/v1/me/oauth-authorizations');
    expect(mine.data).toEqual([expect.objectContaining({ appName: 'Portal', scopes: ['learner:read', 'learner:write'] })]);
    // Nobody else sees or withdraws it; an OAuth token cannot withdraw it either.
    expect((await acme.admin.api.get('/api/v1/me/oauth-authorizations')).data).toEqual([]);
    expect((await acme.admin.api.delete(`/api/v1/me/oauth-authorizations/${mine.data[0].appId}`)).status).toBe(404);
    expect((await http(base, tokens.access_token).delete(`/api/v1/me/oauth-authorizations/${mine.data[0].appId}`)).status).toBe(403);
    expect((await learnerApi.get('/api/v1/learner/catalog')).status).toBe(200);
    expect((await acme.learner.api.delete(`/api/v1/me/oauth-authorizations/${mine.data[0].appId}`)).status).toBe(204);
    expect((await learnerApi.get('/api/v1/learner/catalog')).status).toBe(401);
    expect((await http(base, tokens.access_token).get('/api/v1/learner/catalog')).status).toBe(401);
    expect((await acme.learner.api.get('/api/v1/me/oauth-authorizations')).data).toEqual([]);
  });

  it("a suspended learner's tokens are refused, and cannot be refreshed", async () => {
    const { tokens } = await authorize(config, acme.learner.api, REDIRECT, 'learner:read');
    await ctx.db.updateTable('users').set({ state: 'suspended' }).where('id', '=', acme.learner.user.id).execute();
    expect((await http(base, tokens.access_token).get('/api/v1/learner/catalog')).status).toBe(401);
    const { refreshTokenGrant, ResponseBodyError } = await import('openid-client');
    const e = await refreshTokenGrant(config, tokens.refresh_token!).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ResponseBodyError);
    expect((e as InstanceType<typeof ResponseBodyError>).error).toBe('invalid_grant');
  });
});
