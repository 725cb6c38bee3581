import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { apiClient, buildApi, createAccountWithToken } from '../helpers/api.ts';
import type { Api } from '../../src/api/types.ts';

let ctx: TestContext;
let app: Api;
let admin: ReturnType<typeof apiClient>;
beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildApi(ctx);
  admin = apiClient(app, (await createAccountWithToken(ctx)).token);
});
afterAll(async () => {
  await app?.close();
  await ctx?.destroy();
});

describe('users through the admin API', () => {
  it('creates users with unique emails (case-insensitive) and names the field of errors', async () => {
    const a = await admin.post('/api/v1/users', { email: 'Ann@Acme.test', name: 'Ann' });
    expect(a.statusCode).toBe(201);
    expect(a.data).toMatchObject({ email: 'Ann@Acme.test', state: 'active', roles: ['learner'] });
    const dup = await admin.post('/api/v1/users', { email: 'ann@ACME.test', name: 'Other Ann' });
    expect(dup.statusCode).toBe(409);
    expect(dup.data.error).toMatchObject({ code: 'LMC_ERR_USER_EMAIL_TAKEN', field: 'email' });
    const bad = await admin.post('/api/v1/users', { email: 'nope', name: 'X' });
    expect(bad.statusCode).toBe(400);
    expect(bad.data.error).toMatchObject({ code: 'LMC_ERR_COMMON_VALIDATION', field: 'body.email' });
    const unknownField = await admin.post('/api/v1/users', { email: 'f@acme.test', name: 'F', fields: { nope: 'x' } });
    expect(unknownField.data.error).toMatchObject({ code: 'LMC_ERR_USER_UNKNOWN_FIELD', field: 'fields.nope' });
    // another account may use the same email
    const other = apiClient(app, (await createAccountWithToken(ctx)).token);
    expect((await other.post('/api/v1/users', { email: 'ann@acme.test', name: 'Ann B' })).statusCode).toBe(201);
  });

  it('sets a manager by email, refuses a reporting cycle', async () => {
    const boss = (await admin.post('/api/v1/users', { email: 'boss@acme.test', name: 'Boss' })).data;
    const mid = (await admin.post('/api/v1/users', { email: 'mid@acme.test', name: 'Mid', manager: 'BOSS@acme.test' })).data;
    const low = (await admin.post('/api/v1/users', { email: 'low@acme.test', name: 'Low', manager: mid.id })).data;
    expect(mid).toMatchObject({ managerId: boss.id, managerEmail: 'boss@acme.test' });
    const cycle = await admin.patch(`/api/v1/users/${boss.id}`, { manager: low.email });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.data.error).toMatchObject({ code: 'LMC_ERR_USER_MANAGER_CYCLE', field: 'manager' });
    const self = await admin.patch(`/api/v1/users/${boss.id}`, { manager: boss.id });
    expect(self.data.error.code).toBe('LMC_ERR_USER_MANAGER_CYCLE');
    const missing = await admin.patch(`/api/v1/users/${boss.id}`, { manager: 'ghost@acme.test' });
    expect(missing.data.error).toMatchObject({ code: 'LMC_ERR_USER_MANAGER_NOT_FOUND', field: 'manager' });
    // team group follows
    const groups = (await admin.get('/api/v1/groups?kind=team')).data;
    expect(groups.map((g: { name: string; memberCount: number }) => [g.name, g.memberCount])).toEqual([['Team of Boss', 1], ['Team of Mid', 1]]);
  });

  it('keeps an hr_uuid that was set: it cannot be cleared through the admin API', async () => {
    const u = (await admin.post('/api/v1/users', { email: 'hr@acme.test', name: 'Hr', externalIds: { hr_uuid: 'abc-123' } })).data;
    const clear = await admin.patch(`/api/v1/users/${u.id}`, { externalIds: { hr_uuid: null } });
    expect(clear.statusCode).toBe(400);
    expect(clear.data.error).toMatchObject({ code: 'LMC_ERR_USER_HR_UUID_LOCKED', field: 'externalIds.hr_uuid' });
    const other = await admin.patch(`/api/v1/users/${u.id}`, { externalIds: { workday: 'W1' } });
    expect(other.data.externalIds).toEqual({ hr_uuid: 'abc-123', workday: 'W1' });
  });

  it('lists with search, state filter and paging; shows by email', async () => {
    const s = await admin.post('/api/v1/users', { email: 'sus@acme.test', name: 'Suspended Sue' });
    await admin.patch(`/api/v1/users/${s.data.id}`, { state: 'suspended', roles: ['learner', 'manager'] });
    const list = (await admin.get('/api/v1/users?state=suspended')).data;
    expect(list.items.map((x: { email: string }) => x.email)).toEqual(['sus@acme.test']);
    expect(list.items[0].roles).toEqual(['learner', 'manager']);
    const search = (await admin.get('/api/v1/users?search=ACME.test&limit=2&offset=1')).data;
    expect(search.items).toHaveLength(2);
    expect(search.total).toBeGreaterThan(4);
    expect((await admin.get('/api/v1/users/SUS@acme.test')).data.id).toBe(s.data.id);
    expect((await admin.get('/api/v1/users/99999')).data.error.code).toBe('LMC_ERR_USER_NOT_FOUND');
  });

  it('manages active fields and their groups; learners fill manual fields only', async () => {
    const dept = (await admin.post('/api/v1/active-fields', { name: 'dept', kind: 'csv', groupable: true })).data;
    const hobby = (await admin.post('/api/v1/active-fields', { name: 'hobby', kind: 'manual' })).data;
    expect((await admin.post('/api/v1/active-fields', { name: 'DEPT', kind: 'csv' })).data.error.code).toBe('LMC_ERR_FIELD_NAME_TAKEN');
    const { token, user } = await (async () => {
      const r = await admin.post('/api/v1/users', { email: 'learner@acme.test', name: 'Lea', fields: { dept: 'Sales' } });
      const { createApiToken } = await import('../../src/platform/api-tokens.ts');
      const t = await createApiToken(ctx.db, { accountId: (await ctx.db.selectFrom('users').select('account_id').where('id', '=', r.data.id).executeTakeFirstOrThrow()).account_id, userId: r.data.id, name: 't' });
      return { token: t.token, user: r.data };
    })();
    const groups = (await admin.get('/api/v1/groups?kind=field')).data;
    expect(groups).toEqual([expect.objectContaining({ name: 'dept: Sales', memberCount: 1 })]);
    const members = (await admin.get(`/api/v1/groups/${groups[0].id}/members`)).data;
    expect(members.map((m: { id: number }) => m.id)).toEqual([user.id]);
    const learner = apiClient(app, token);
    expect((await learner.patch('/api/v1/me/fields', { fields: { hobby: 'chess' } })).data.fields).toEqual({ dept: 'Sales', hobby: 'chess' });
    expect((await learner.patch('/api/v1/me/fields', { fields: { dept: 'R&D' } })).data.error).toMatchObject({ code: 'LMC_ERR_FIELD_NOT_MANUAL', field: 'fields.dept' });
    // a learner token is refused on admin routes
    for (const [m, url] of [['get', '/api/v1/users'], ['post', '/api/v1/users'], ['get', '/api/v1/groups'], ['delete', `/api/v1/active-fields/${hobby.id}`]] as const) {
      const r = await (learner[m] as (u: string) => Promise<{ statusCode: number; data: any }>)(url);
      expect(r.statusCode, `${m} ${url}`).toBe(403);
      expect(r.data.error.code).toBe('LMC_ERR_COMMON_FORBIDDEN');
    }
    // deleting the field removes its values and groups
    expect((await admin.delete(`/api/v1/active-fields/${dept.id}`)).statusCode).toBe(204);
    expect((await admin.get(`/api/v1/users/${user.id}`)).data.fields).toEqual({ hobby: 'chess' });
    expect((await admin.get('/api/v1/groups?kind=field')).data).toEqual([]);
  });

  it('custom groups: create, add, remove; automatic ones cannot be edited', async () => {
    const u = (await admin.get('/api/v1/users?limit=2')).data.items;
    const g = await admin.post('/api/v1/groups', { name: 'Pilots', userIds: [u[0].id] });
    expect(g.statusCode).toBe(201);
    expect((await admin.post(`/api/v1/groups/${g.data.id}/members`, { userIds: [u[1].id] })).statusCode).toBe(204);
    expect((await admin.get(`/api/v1/groups/${g.data.id}/members`)).data).toHaveLength(2);
    expect((await admin.delete(`/api/v1/groups/${g.data.id}/members/${u[0].id}`)).statusCode).toBe(204);
    const team = (await admin.get('/api/v1/groups?kind=team')).data[0];
    expect((await admin.post(`/api/v1/groups/${team.id}/members`, { userIds: [u[0].id] })).data.error.code).toBe('LMC_ERR_GROUP_AUTOMATIC');
  });

  it('publishes the platform routes in the generated OpenAPI', async () => {
    const spec = (await apiClient(app).get('/openapi.json')).data;
    for (const p of ['/api/v1/users', '/api/v1/users/{ref}', '/api/v1/active-fields', '/api/v1/groups', '/api/v1/trainings', '/api/v1/enrollments',
      '/api/v1/me/enrollments', '/api/v1/me/feedback', '/api/v1/skills', '/api/v1/gamification/leaderboard', '/api/v1/account', '/api/v1/tokens']) {
      expect(spec.paths, p).toHaveProperty([p]);
    }
    expect(spec.paths['/api/v1/users'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('manager');
  });
});
