import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { apiClient, buildApi, createAccountWithToken } from '../helpers/api.ts';
import type { Api } from '../../src/api/types.ts';
import type { Role } from '../../src/db/schema/core.ts';
import { createApiToken } from '../../src/platform/api-tokens.ts';
import { updateUser } from '../../src/platform/users/users.ts';
import { hashPassword } from '../../src/shared/passwords.ts';
import { runLmc } from '../helpers/cli.ts';

// Issue 13, point 1: a user whose only role is integration_admin could PATCH any user's roles and password:
// grant itself admin, set the administrator's password and sign in as them, demote the administrator.
// Each attack is replayed through the real API on a real database.

let ctx: TestContext;
let app: Api;
let accountId: number;
let adminId: number;
let admin: ReturnType<typeof apiClient>;
const ADMIN_PASSWORD = 'the admin password 1';

async function addUser(email: string, roles: Role[], password?: string) {
  const u = await ctx.db
    .insertInto('users')
    .values({ account_id: accountId, email, name: email.split('@')[0], roles, password_hash: password ? await hashPassword(password) : null })
    .returningAll()
    .executeTakeFirstOrThrow();
  const { token } = await createApiToken(ctx.db, { accountId, userId: u.id, name: 'test' });
  return { user: u, api: apiClient(app, token), token };
}

const signIn = (email: string, password: string) => apiClient(app).post('/api/v1/auth/sign-in', { email, password });
const rolesOf = async (id: number) => (await ctx.db.selectFrom('users').select('roles').where('id', '=', id).executeTakeFirstOrThrow()).roles;

beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildApi(ctx);
  const a = await createAccountWithToken(ctx, { email: 'boss@acme.test' });
  accountId = a.account.id;
  adminId = a.user.id;
  await ctx.db.updateTable('users').set({ password_hash: await hashPassword(ADMIN_PASSWORD) }).where('id', '=', adminId).execute();
  admin = apiClient(app, a.token);
});
afterAll(async () => {
  await app?.close();
  await ctx?.destroy();
});

describe('an integration admin cannot escalate', () => {
  it('cannot grant itself admin', async () => {
    const ia = await addUser('ia1@acme.test', ['integration_admin']);
    const r = await ia.api.patch(`/api/v1/users/${ia.user.id}`, { roles: ['integration_admin', 'admin'] });
    expect(r.statusCode).toBe(403);
    expect(r.data.error).toMatchObject({ code: 'LMC_ERR_USER_ROLES_ADMIN_ONLY', field: 'roles' });
    expect(await rolesOf(ia.user.id)).toEqual(['integration_admin']);
  });

  it("cannot set the administrator's password and sign in as them", async () => {
    const ia = await addUser('ia2@acme.test', ['integration_admin']);
    const r = await ia.api.patch(`/api/v1/users/${adminId}`, { password: 'attacker password' });
    expect(r.statusCode).toBe(403);
    expect(r.data.error).toMatchObject({ code: 'LMC_ERR_USER_PASSWORD_NOT_SETTABLE', field: 'password' });
    expect((await signIn('boss@acme.test', 'attacker password')).statusCode).toBe(401);
    expect((await signIn('boss@acme.test', ADMIN_PASSWORD)).statusCode).toBe(200);
    // not even an admin sets another user's password, nor its own through PATCH (that needs the current one)
    expect((await admin.patch(`/api/v1/users/${ia.user.id}`, { password: 'admin-chosen password' })).data.error.code).toBe('LMC_ERR_USER_PASSWORD_NOT_SETTABLE');
    expect((await admin.patch(`/api/v1/users/${adminId}`, { password: 'admin-chosen password' })).data.error.code).toBe('LMC_ERR_USER_PASSWORD_NOT_SETTABLE');
  });

  it('cannot demote, suspend, delete or rename the administrator', async () => {
    const ia = await addUser('ia3@acme.test', ['integration_admin']);
    const demote = await ia.api.patch(`/api/v1/users/${adminId}`, { roles: ['learner'] });
    expect(demote.statusCode).toBe(403);
    expect(demote.data.error.code).toBe('LMC_ERR_USER_ROLES_ADMIN_ONLY');
    for (const body of [{ state: 'suspended' }, { state: 'deleted' }, { email: 'mine@evil.test' }]) {
      const r = await ia.api.patch(`/api/v1/users/${adminId}`, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(403);
      expect(r.data.error.code).toBe('LMC_ERR_USER_ADMIN_PROTECTED');
    }
    const cur = await ctx.db.selectFrom('users').selectAll().where('id', '=', adminId).executeTakeFirstOrThrow();
    expect(cur).toMatchObject({ email: 'boss@acme.test', state: 'active' });
    expect(cur.roles).toContain('admin');
    // what an integration admin does keep: profile and fields of anyone, learners' state
    expect((await ia.api.patch(`/api/v1/users/${adminId}`, { profile: { title: 'CEO' } })).statusCode).toBe(200);
  });

  it('cannot create an admin, nor a user with a password it knows', async () => {
    const ia = await addUser('ia4@acme.test', ['integration_admin']);
    const r = await ia.api.post('/api/v1/users', { email: 'sleeper@acme.test', name: 'Sleeper', roles: ['learner', 'admin'] });
    expect(r.statusCode).toBe(403);
    expect(r.data.error).toMatchObject({ code: 'LMC_ERR_USER_ROLES_ADMIN_ONLY', field: 'roles' });
    const p = await ia.api.post('/api/v1/users', { email: 'sleeper@acme.test', name: 'Sleeper', password: 'known to the attacker' });
    expect(p.statusCode).toBe(403);
    expect(p.data.error.code).toBe('LMC_ERR_USER_PASSWORD_NOT_SETTABLE');
    expect(await ctx.db.selectFrom('users').select('id').where('email', '=', 'sleeper@acme.test').executeTakeFirst()).toBeUndefined();
    expect((await ia.api.post('/api/v1/users', { email: 'learner@acme.test', name: 'Lea' })).statusCode).toBe(201);
  });

  it('cannot issue a password reset link (admins only)', async () => {
    const ia = await addUser('ia5@acme.test', ['integration_admin']);
    const r = await ia.api.post(`/api/v1/users/${adminId}/password-reset`);
    expect(r.statusCode).toBe(403);
    expect(r.data.error.code).toBe('LMC_ERR_COMMON_FORBIDDEN');
  });
});

describe('admins and roles', () => {
  it('an admin changes the roles of others, never raises its own', async () => {
    const lea = await addUser('lea@acme.test', ['learner']);
    const r = await admin.patch(`/api/v1/users/${lea.user.id}`, { roles: ['learner', 'manager', 'integration_admin'] });
    expect(r.statusCode).toBe(200);
    expect(r.data.roles).toEqual(['learner', 'manager', 'integration_admin']);
    const plain = await addUser('plain-admin@acme.test', ['learner', 'admin']);
    const self = await plain.api.patch(`/api/v1/users/${plain.user.id}`, { roles: ['learner', 'admin', 'integration_admin'] });
    expect(self.statusCode).toBe(403);
    expect(self.data.error).toMatchObject({ code: 'LMC_ERR_USER_OWN_ROLES', field: 'roles' });
    expect(self.data.error.message).toContain('integration_admin');
    // giving up a role of one's own is fine while another admin remains
    expect((await plain.api.patch(`/api/v1/users/${plain.user.id}`, { roles: ['learner'] })).statusCode).toBe(200);
  });

  it('the last active admin cannot be demoted, suspended or deleted', async () => {
    const other = await createAccountWithToken(ctx, { email: 'solo@acme.test' });
    const solo = apiClient(app, other.token);
    for (const body of [{ roles: ['learner'] }, { state: 'suspended' }, { state: 'deleted' }]) {
      const r = await solo.patch(`/api/v1/users/${other.user.id}`, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(409);
      expect(r.data.error.code).toBe('LMC_ERR_USER_LAST_ADMIN');
    }
    // two admins demoting each other at once: one of them stays admin
    const second = await ctx.db
      .insertInto('users')
      .values({ account_id: other.account.id, email: 'second@acme.test', name: 'Second', roles: ['learner', 'admin'] })
      .returningAll()
      .executeTakeFirstOrThrow();
    const secondApi = apiClient(app, (await createApiToken(ctx.db, { accountId: other.account.id, userId: second.id, name: 't' })).token);
    const [a, b] = await Promise.all([
      solo.patch(`/api/v1/users/${second.id}`, { roles: ['learner'] }),
      secondApi.patch(`/api/v1/users/${other.user.id}`, { roles: ['learner'] }),
    ]);
    // the loser is refused as the last admin, or (demoted first) no longer has the role to ask
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, expect.toBeOneOf([403, 409])]);
    const admins = await ctx.db.selectFrom('users').select('id').where('account_id', '=', other.account.id).where('state', '=', 'active').where(sql<boolean>`'admin' = any(roles)`).execute();
    expect(admins).toHaveLength(1);
    // the same race past the role check (both callers still admins when they ask): the account keeps one
    const third = await ctx.db.insertInto('users').values({ account_id: other.account.id, email: 'third@acme.test', name: 'Third', roles: ['admin'] }).returningAll().executeTakeFirstOrThrow();
    const survivor = admins[0].id;
    const results = await Promise.allSettled([
      updateUser(ctx.db, other.account.id, third.id, { roles: ['learner'] }, { userId: survivor, roles: ['admin'] }),
      updateUser(ctx.db, other.account.id, survivor, { roles: ['learner'] }, { userId: third.id, roles: ['admin'] }),
    ]);
    expect(results.map((x) => x.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(((results.find((x) => x.status === 'rejected') as PromiseRejectedResult).reason as { code: string }).code).toBe('LMC_ERR_USER_LAST_ADMIN');
  });
});

describe('passwords: reset links and changing one own', () => {
  it('an admin issues a one-time reset link; the user sets the password there; old sessions end', async () => {
    const lea = await addUser('reset-me@acme.test', ['learner'], 'the old password 1');
    const session = (await signIn('reset-me@acme.test', 'the old password 1')).data.token;
    const r = await admin.post(`/api/v1/users/${lea.user.id}/password-reset`);
    expect(r.statusCode).toBe(200);
    expect(r.data).toMatchObject({ userId: lea.user.id, email: 'reset-me@acme.test', link: expect.stringMatching(/^\/reset-password\?token=lmcpr_/) });
    expect(new Date(r.data.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const page = await app.inject({ method: 'GET', url: r.data.link });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Set your password');
    const pub = apiClient(app);
    const short = await pub.post('/api/v1/auth/password-reset', { token: r.data.token, password: 'short' });
    expect(short.data.error).toMatchObject({ code: 'LMC_ERR_COMMON_VALIDATION', field: 'body.password' });
    const ok = await pub.post('/api/v1/auth/password-reset', { token: r.data.token, password: 'a brand new password' });
    expect(ok.statusCode).toBe(200);
    expect(ok.data).toEqual({ email: 'reset-me@acme.test' });
    const again = await pub.post('/api/v1/auth/password-reset', { token: r.data.token, password: 'another new password' });
    expect(again.statusCode).toBe(400);
    expect(again.data.error.code).toBe('LMC_ERR_AUTH_RESET_TOKEN_INVALID');
    expect((await signIn('reset-me@acme.test', 'a brand new password')).statusCode).toBe(200);
    expect((await signIn('reset-me@acme.test', 'the old password 1')).statusCode).toBe(401);
    expect((await apiClient(app, session).get('/api/v1/me')).statusCode).toBe(401);
  });

  it('whoever runs the server issues a reset link from the CLI (an administrator who lost the password)', async () => {
    const r = await runLmc(ctx, ['users', 'reset-link', 'BOSS@acme.test', '--account', String(accountId), '--base-url', 'https://lmc.acme.test/']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Give this one-time link to boss@acme.test');
    const link = /https:\/\/lmc\.acme\.test\/reset-password\?token=(\S+)/.exec(r.out);
    expect(link).not.toBeNull();
    const set = await apiClient(app).post('/api/v1/auth/password-reset', { token: decodeURIComponent(link![1]), password: 'recovered admin password' });
    expect(set.statusCode).toBe(200);
    expect((await signIn('boss@acme.test', 'recovered admin password')).statusCode).toBe(200);
    const missing = await runLmc(ctx, ['users', 'reset-link', 'ghost@acme.test', '--account', String(accountId)]);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain('LMC_ERR_USER_NOT_FOUND');
    expect(missing.err).not.toMatch(/\n\s+at /);
  });

  it('a user changes its own password only with the current one', async () => {
    await addUser('own@acme.test', ['learner'], 'my current password');
    const session = (await signIn('own@acme.test', 'my current password')).data.token;
    const other = (await signIn('own@acme.test', 'my current password')).data.token;
    const me = apiClient(app, session);
    const wrong = await me.post('/api/v1/me/password', { currentPassword: 'a guess', newPassword: 'my next password 1' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.data.error).toMatchObject({ code: 'LMC_ERR_AUTH_CURRENT_PASSWORD_WRONG', field: 'body.currentPassword' });
    expect((await me.post('/api/v1/me/password', { currentPassword: 'my current password', newPassword: 'my next password 1' })).statusCode).toBe(204);
    expect((await signIn('own@acme.test', 'my next password 1')).statusCode).toBe(200);
    expect((await me.get('/api/v1/me')).statusCode).toBe(200);
    expect((await apiClient(app, other).get('/api/v1/me')).statusCode).toBe(401);
  });
});
