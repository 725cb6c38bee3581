import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../src/api/app.ts';
import type { Api } from '../../src/api/types.ts';
import { createTraining } from '../../src/platform/trainings/trainings.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { accountWithPeople, authorize, http, listen, oauthClient, oauthError, userWithSession } from '../oauth/oauth-harness.ts';

// Issue 16, the platform's OAuth apps: who may manage applications, what a token's scopes allow, accounts kept
// apart, redirect URIs matched exactly, and the token endpoint's RFC 6749 §5.2 errors.

const REDIRECT = 'https://crm.example.test/cb';
let ctx: TestContext;
let app: Api;
let base: string;
let acme: Awaited<ReturnType<typeof accountWithPeople>>;
let globex: Awaited<ReturnType<typeof accountWithPeople>>;
let acmeApp: { id: number; clientId: string; clientSecret: string };
let globexApp: { id: number; clientId: string; clientSecret: string };
let acmeCourse: number;
let globexCourse: number;

async function registerApproved(admin: ReturnType<typeof http>, name: string, scopes: string[]) {
  const r = await admin.post('/api/v1/oauth-apps', { name, redirectUris: [REDIRECT, 'http://localhost:8765/cb'], scopes });
  expect(r.status).toBe(201);
  expect((await admin.post(`/api/v1/oauth-apps/${r.data.id}/approve`)).status).toBe(200);
  return r.data;
}

beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildApi(ctx);
  base = await listen(ctx, app);
  acme = await accountWithPeople(ctx, base, 'Acme Sec');
  globex = await accountWithPeople(ctx, base, 'Globex Sec');
  acmeApp = await registerApproved(acme.admin.api, 'Salesforce', ['learner:read', 'learner:write', 'admin:read', 'admin:write']);
  globexApp = await registerApproved(globex.admin.api, 'Salesforce', ['learner:read', 'learner:write']);
  acmeCourse = (await createTraining(ctx.db, acme.account.id, { loId: 'c1', type: 'course', name: 'Acme course' })).id;
  globexCourse = (await createTraining(ctx.db, globex.account.id, { loId: 'c1', type: 'course', name: 'Globex course' })).id;
});
afterAll(async () => {
  await app?.close();
  await ctx?.destroy();
});

describe('managing applications', () => {
  it('only admins and integration admins register, list, approve or delete applications', async () => {
    const author = await userWithSession(ctx, base, acme.account.id, 'author@acme-sec.test', ['author', 'manager']);
    for (const api of [acme.learner.api, author.api]) {
      const calls = [
        api.get('/api/v1/oauth-apps'),
        api.post('/api/v1/oauth-apps', { name: 'Sneaky', redirectUris: [REDIRECT], scopes: ['admin:write'] }),
        api.post(`/api/v1/oauth-apps/${acmeApp.id}/approve`),
        api.post(`/api/v1/oauth-apps/${acmeApp.id}/secret`),
        api.post(`/api/v1/oauth-apps/${acmeApp.id}/revoke`),
        api.delete(`/api/v1/oauth-apps/${acmeApp.id}`),
      ];
      for (const r of await Promise.all(calls)) expect([r.status, r.data.error.code]).toEqual([403, 'LMC_ERR_COMMON_FORBIDDEN']);
    }
    expect((await http(base).get('/api/v1/oauth-apps')).status).toBe(401);
    expect((await acme.admin.api.get(`/api/v1/oauth-apps/${acmeApp.id}`)).data.status).toBe('approved');
  });

  it("an account's applications are invisible to another account", async () => {
    const list = await globex.admin.api.get('/api/v1/oauth-apps');
    expect(list.data.map((a: { id: number }) => a.id)).toEqual([globexApp.id]);
    for (const r of await Promise.all([
      globex.admin.api.get(`/api/v1/oauth-apps/${acmeApp.id}`),
      globex.admin.api.post(`/api/v1/oauth-apps/${acmeApp.id}/approve`),
      globex.admin.api.post(`/api/v1/oauth-apps/${acmeApp.id}/secret`),
      globex.admin.api.post(`/api/v1/oauth-apps/${acmeApp.id}/revoke`),
      globex.admin.api.delete(`/api/v1/oauth-apps/${acmeApp.id}`),
    ])) expect([r.status, r.data.error.code]).toEqual([404, 'LMC_ERR_OAUTH_APP_NOT_FOUND']);
    expect((await acme.admin.api.get(`/api/v1/oauth-apps/${acmeApp.id}`)).data.status).toBe('approved');
  });

  it('refuses redirect URIs that are not absolute https (http only on localhost) or carry a fragment, naming the field', async () => {
    for (const [uri, why] of [['http://crm.example.test/cb', 'neither https'], ['https://crm.example.test/cb#x', 'fragment'], ['/relative', 'absolute']] as const) {
      const r = await acme.admin.api.post('/api/v1/oauth-apps', { name: `Bad ${why}`, redirectUris: [REDIRECT, uri], scopes: ['learner:read'] });
      expect([r.status, r.data.error.code, r.data.error.field]).toEqual([400, 'LMC_ERR_OAUTH_APP_BAD_REDIRECT_URI', 'redirectUris.1']);
      expect(r.data.error.message).toContain(why);
    }
    const unknownScope = await acme.admin.api.post('/api/v1/oauth-apps', { name: 'Bad scope', redirectUris: [REDIRECT], scopes: ['everything'] });
    expect([unknownScope.status, unknownScope.data.error.field]).toEqual([400, 'body.scopes.0']);
    const dup = await acme.admin.api.post('/api/v1/oauth-apps', { name: 'salesforce', redirectUris: [REDIRECT], scopes: ['learner:read'] });
    expect([dup.status, dup.data.error.code]).toEqual([409, 'LMC_ERR_OAUTH_APP_NAME_TAKEN']);
  });

  it('a new client secret works at once and the old one stops', async () => {
    const r = await acme.admin.api.post('/api/v1/oauth-apps', { name: 'Rotating', redirectUris: [REDIRECT], scopes: ['learner:read'] });
    await acme.admin.api.post(`/api/v1/oauth-apps/${r.data.id}/approve`);
    const rotated = await acme.admin.api.post(`/api/v1/oauth-apps/${r.data.id}/secret`);
    expect(rotated.data.clientSecret).not.toBe(r.data.clientSecret);
    const oldCfg = await oauthClient(base, r.data.clientId, r.data.clientSecret);
    expect((await oauthError(client.refreshTokenGrant(oldCfg, 'lmcrt_x'))).error).toBe('invalid_client');
    const newCfg = await oauthClient(base, r.data.clientId, rotated.data.clientSecret);
    expect((await oauthError(client.refreshTokenGrant(newCfg, 'lmcrt_x'))).error).toBe('invalid_grant');
  });
});

describe('authorization requests', () => {
  const q = (extra: Record<string, string>) => new URLSearchParams({ response_type: 'code', client_id: acmeApp.clientId, redirect_uri: REDIRECT, scope: 'learner:read', state: 'st', ...extra });

  it('a redirect URI not registered (exact match) is refused to the user, never redirected to', async () => {
    for (const uri of ['https://evil.example.test/cb', `${REDIRECT}/`, `${REDIRECT}?x=1`, 'https://CRM.example.test/cb']) {
      for (const r of [
        await acme.learner.api.get(`/api/v1/oauth/authorization-request?${q({ redirect_uri: uri })}`),
        await acme.learner.api.post('/api/v1/oauth/authorize', { ...Object.fromEntries(q({ redirect_uri: uri })), decision: 'allow' }),
      ]) {
        expect([r.status, r.data.error?.code, r.data.redirectTo]).toEqual([400, 'LMC_ERR_OAUTH_APP_REDIRECT_URI_MISMATCH', undefined]);
      }
    }
    expect(await ctx.db.selectFrom('oauth_codes').select('code_hash').execute()).toEqual([]);
  });

  it('an application without redirect URLs gets codes only for the Access Tokens page of this server', async () => {
    const r = await acme.admin.api.post('/api/v1/oauth-apps', { name: 'By hand', scopes: ['admin:read'] });
    expect([r.status, r.data.redirectUris]).toEqual([201, []]);
    await acme.admin.api.post(`/api/v1/oauth-apps/${r.data.id}/approve`);
    const ask = (redirect: string) => acme.admin.api.post('/api/v1/oauth/authorize', { response_type: 'code', client_id: r.data.clientId, redirect_uri: redirect, scope: 'admin:read', decision: 'allow' });
    const own = await ask(`${base}/developer/access-tokens`);
    expect(new URL(own.data.redirectTo).searchParams.get('code')).toMatch(/^lmccode_/);
    for (const other of [REDIRECT, `${base}/developer/access-tokens/x`, `https://evil.example.test/developer/access-tokens`]) {
      expect((await ask(other)).data.error.code).toBe('LMC_ERR_OAUTH_APP_REDIRECT_URI_MISMATCH');
    }
  });

  it("another account's client id is unknown to a user (no redirect); its own users cannot grant it to themselves across accounts", async () => {
    const r = await acme.learner.api.get(`/api/v1/oauth/authorization-request?${q({ client_id: globexApp.clientId })}`);
    expect([r.status, r.data.error.code, r.data.redirectTo]).toEqual([404, 'LMC_ERR_OAUTH_APP_NOT_FOUND', undefined]);
  });

  it('a learner cannot grant admin scopes, nor scopes the application did not register', async () => {
    const admin = await acme.learner.api.get(`/api/v1/oauth/authorization-request?${q({ scope: 'learner:read admin:read' })}`);
    const back = new URL(admin.data.redirectTo);
    expect([back.searchParams.get('error'), back.searchParams.get('state')]).toEqual(['invalid_scope', 'st']);
    expect(back.searchParams.get('error_description')).toContain('admin');
    const notRegistered = await globex.learner.api.get(`/api/v1/oauth/authorization-request?${new URLSearchParams({ response_type: 'code', client_id: globexApp.clientId, redirect_uri: REDIRECT, scope: 'admin:read' })}`);
    expect(new URL(notRegistered.data.redirectTo).searchParams.get('error')).toBe('invalid_scope');
    const badType = await acme.learner.api.get(`/api/v1/oauth/authorization-request?${q({ response_type: 'token' })}`);
    expect(new URL(badType.data.redirectTo).searchParams.get('error')).toBe('unsupported_response_type');
  });

  it('an OAuth access token cannot sign a consent nor reach the admin API', async () => {
    const config = await oauthClient(base, acmeApp.clientId, acmeApp.clientSecret);
    const { tokens } = await authorize(config, acme.admin.api, REDIRECT, 'admin:read admin:write');
    const api = http(base, tokens.access_token);
    for (const r of await Promise.all([
      api.get('/api/v1/users'), api.get('/api/v1/oauth-apps'), api.post('/api/v1/tokens', { name: 'escalate' }), api.get('/api/v1/me'),
      api.post('/api/v1/oauth/authorize', { ...Object.fromEntries(q({})), decision: 'allow' }),
    ])) expect([r.status, r.data.error.code]).toEqual([403, 'LMC_ERR_OAUTH_NOT_FOR_OAUTH_TOKENS']);
  });
});

describe('scopes and accounts on the learner API', () => {
  let config: client.Configuration;
  beforeAll(async () => {
    config = await oauthClient(base, acmeApp.clientId, acmeApp.clientSecret);
  });

  it('a learner:read token reads but cannot enroll (403 insufficient_scope)', async () => {
    const { tokens } = await authorize(config, acme.learner.api, REDIRECT, 'learner:read');
    const api = http(base, tokens.access_token);
    expect((await api.get('/api/v1/learner/enrollments')).status).toBe(200);
    const r = await api.post('/api/v1/learner/enrollments', { trainingId: acmeCourse });
    expect([r.status, r.data.error.code]).toEqual([403, 'LMC_ERR_OAUTH_INSUFFICIENT_SCOPE']);
    expect(r.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="learner:write"');
    expect((await api.get('/api/v1/learner/enrollments')).data.items).toEqual([]);
  });

  it("a learner's token acts for that learner only, in that account only", async () => {
    const { tokens } = await authorize(config, acme.learner.api, REDIRECT, 'learner:read learner:write');
    const api = http(base, tokens.access_token);
    const other = await api.get(`/api/v1/learner/enrollments?learner=${encodeURIComponent(acme.admin.user.email)}`);
    expect([other.status, other.data.error.code]).toEqual([403, 'LMC_ERR_OAUTH_INSUFFICIENT_SCOPE']);
    const foreign = await api.post('/api/v1/learner/enrollments', { trainingId: globexCourse });
    expect([foreign.status, foreign.data.error.code]).toEqual([404, 'LMC_ERR_TRAINING_NOT_FOUND']);
    expect((await api.get('/api/v1/learner/catalog')).data.items.map((t: { name: string }) => t.name)).toEqual(['Acme course']);
  });

  it("an admin's admin:read/admin:write token acts for the account's learners by email, never another account's", async () => {
    const { tokens } = await authorize(config, acme.admin.api, REDIRECT, 'admin:read admin:write');
    const api = http(base, tokens.access_token);
    const lea = encodeURIComponent(acme.learner.user.email);
    const e = await api.post(`/api/v1/learner/enrollments?learner=${lea}`, { trainingId: acmeCourse });
    expect([e.status, e.data.email]).toEqual([201, acme.learner.user.email]);
    expect((await api.get(`/api/v1/learner/progress?learner=${lea}`)).data.enrollments.notStarted).toBe(1);
    const foreign = await api.get(`/api/v1/learner/enrollments?learner=${encodeURIComponent(globex.learner.user.email)}`);
    expect([foreign.status, foreign.data.error.code]).toEqual([404, 'LMC_ERR_COMMON_NOT_FOUND']);
  });

  it("one account's client cannot redeem or revoke another account's codes and tokens", async () => {
    const { back, tokens, verifier } = await (async () => {
      const verifier = client.randomPKCECodeVerifier();
      const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'learner:read', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
      const d = await acme.learner.api.post('/api/v1/oauth/authorize', { ...Object.fromEntries(url.searchParams), decision: 'allow' });
      return { back: new URL(d.data.redirectTo), tokens: (await authorize(config, acme.learner.api, REDIRECT, 'learner:read')).tokens, verifier };
    })();
    const globexCfg = await oauthClient(base, globexApp.clientId, globexApp.clientSecret);
    const stolen = await oauthError(client.authorizationCodeGrant(globexCfg, back, { pkceCodeVerifier: verifier }, undefined, {}));
    expect(stolen.error).toBe('invalid_grant');
    expect((await oauthError(client.refreshTokenGrant(globexCfg, tokens.refresh_token!))).error).toBe('invalid_grant');
    expect((await oauthError(client.tokenRevocation(globexCfg, tokens.refresh_token!))).error).toBe('unauthorized_client');
    expect((await http(base, tokens.access_token).get('/api/v1/learner/catalog')).status).toBe(200);
  });
});

describe('the token endpoint', () => {
  const form = (body: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${base}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(body) })
      .then(async (r) => ({ status: r.status, body: await r.json(), headers: r.headers }));

  it('answers errors in the RFC 6749 §5.2 shape, never cached', async () => {
    const noClient = await form({ grant_type: 'authorization_code', code: 'x' });
    expect([noClient.status, noClient.body.error]).toEqual([401, 'invalid_client']);
    expect(noClient.headers.get('cache-control')).toBe('no-store');
    const creds = { client_id: acmeApp.clientId, client_secret: acmeApp.clientSecret };
    const grant = await form({ ...creds, grant_type: 'password', username: 'u', password: 'p' });
    expect(grant).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type', error_code: 'LMC_ERR_OAUTH_UNSUPPORTED_GRANT_TYPE' } });
    expect(Object.keys(grant.body).sort()).toEqual(['error', 'error_code', 'error_description']);
    const missing = await form({ ...creds });
    expect([missing.status, missing.body.error]).toEqual([400, 'invalid_request']);
    const twice = await fetch(`${base}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `client_id=${acmeApp.clientId}&client_secret=${acmeApp.clientSecret}&grant_type=refresh_token&grant_type=refresh_token&refresh_token=x` });
    expect(twice.status).toBe(400);
    expect((await twice.json()).error).toBe('invalid_request');
    const both = await form({ ...creds, grant_type: 'refresh_token', refresh_token: 'x' }, { authorization: `Basic ${Buffer.from(`${acmeApp.clientId}:${acmeApp.clientSecret}`).toString('base64')}` });
    expect([both.status, both.body.error]).toEqual([400, 'invalid_request']);
    // A value the database cannot compare is the client's mistake, in the same shape (never a 500).
    const nul = await form({ client_id: 'a\u0000b', client_secret: 'x', grant_type: 'refresh_token', refresh_token: 'x' });
    expect([nul.status, nul.body.error]).toEqual([400, 'invalid_request']);
    const wrong = await form({ grant_type: 'refresh_token', refresh_token: 'x' }, { authorization: `Basic ${Buffer.from(`${acmeApp.clientId}:nope`).toString('base64')}` });
    expect([wrong.status, wrong.body.error, wrong.headers.get('www-authenticate')]).toEqual([401, 'invalid_client', 'Basic realm="lmc", charset="UTF-8"']);
  });

  it('a code exchanged with another redirect URI than the authorization request named is refused', async () => {
    const config = await oauthClient(base, acmeApp.clientId, acmeApp.clientSecret);
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'learner:read' });
    const d = await acme.learner.api.post('/api/v1/oauth/authorize', { ...Object.fromEntries(url.searchParams), decision: 'allow' });
    const code = new URL(d.data.redirectTo).searchParams.get('code')!;
    const r = await form({ client_id: acmeApp.clientId, client_secret: acmeApp.clientSecret, grant_type: 'authorization_code', code, redirect_uri: 'http://localhost:8765/cb' });
    expect([r.status, r.body.error]).toEqual([400, 'invalid_grant']);
    expect(r.body.error_description).toContain('redirect_uri');
  });
});
