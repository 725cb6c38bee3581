import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../src/api/app.ts';
import type { Api } from '../../src/api/types.ts';
import { createTraining } from '../../src/platform/trainings/trainings.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { accountWithPeople, authorize, http, listen, oauthClient, oauthError } from './oauth-harness.ts';

// Issue 16, "the platform's OAuth apps": the authorization-code flow end to end with a third-party client
// (openid-client, RFC 8414 discovery, PKCE S256, client_secret_basic and client_secret_post) against the real API
// on a real database: register, approve, consent, code exchange, learner API, refresh with rotation, revocation.

const REDIRECT = 'https://crm.example.test/oauth/callback';
let ctx: TestContext;
let app: Api;
let base: string;
let acme: Awaited<ReturnType<typeof accountWithPeople>>;
let registered: { id: number; clientId: string; clientSecret: string };
let courseId: number;

beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildApi(ctx);
  base = await listen(ctx, app);
  acme = await accountWithPeople(ctx, base, 'Acme Flow');
  courseId = (await createTraining(ctx.db, acme.account.id, { loId: 'course:safety', type: 'course', name: 'Workplace Safety' })).id;
  await createTraining(ctx.db, acme.account.id, { loId: 'course:draft', type: 'course', name: 'Unfinished draft', state: 'draft' });
});
afterAll(async () => {
  await app?.close();
  await ctx?.destroy();
});

describe('Applications', () => {
  it('registers an application: the client secret is answered once, then only a hint is shown', async () => {
    const r = await acme.admin.api.post('/api/v1/oauth-apps', { name: 'Salesforce', description: 'CRM learning tab', redirectUris: [REDIRECT], scopes: ['learner:read', 'learner:write'] });
    expect(r.status).toBe(201);
    expect(r.data).toMatchObject({ name: 'Salesforce', status: 'pending', scopes: ['learner:read', 'learner:write'], redirectUris: [REDIRECT] });
    expect(r.data.clientId).toMatch(/^lmcapp_/);
    expect(r.data.clientSecret).toMatch(/^lmcsec_.{40,}/);
    expect(r.headers.get('cache-control')).toBe('no-store');
    registered = r.data;
    const list = await acme.admin.api.get('/api/v1/oauth-apps');
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(registered.clientSecret);
    expect(list.data[0].secretHint).toBe(`${registered.clientSecret.slice(0, 11)}…`);
    // Stored as a hash only.
    const row = await ctx.db.selectFrom('oauth_apps').selectAll().where('id', '=', registered.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(registered.clientSecret);
  });

  it('a pending application can neither be authorized nor authenticate at the token endpoint', async () => {
    const q = new URLSearchParams({ response_type: 'code', client_id: registered.clientId, redirect_uri: REDIRECT, scope: 'learner:read', state: 's1' });
    const r = await acme.learner.api.get(`/api/v1/oauth/authorization-request?${q}`);
    expect(r.status).toBe(200);
    const back = new URL(r.data.redirectTo);
    expect([back.origin + back.pathname, back.searchParams.get('error'), back.searchParams.get('state')]).toEqual([REDIRECT, 'unauthorized_client', 's1']);
    const config = await oauthClient(base, registered.clientId, registered.clientSecret);
    const err = await oauthError(client.refreshTokenGrant(config, 'lmcrt_whatever'));
    expect(err).toMatchObject({ status: 401, error: 'invalid_client', code: 'LMC_ERR_OAUTH_INVALID_CLIENT' });
    expect(err.description).toContain('waiting for approval');
    expect(err.challenge).toContain('Basic');
  });

  it('approves the application', async () => {
    const r = await acme.admin.api.post(`/api/v1/oauth-apps/${registered.id}/approve`);
    expect(r.status).toBe(200);
    expect(r.data).toMatchObject({ status: 'approved', approvedBy: acme.admin.user.email });
  });
});

describe('authorization code flow with openid-client', () => {
  let tokens: client.TokenEndpointResponse;
  let config: client.Configuration;

  it('a signed-in learner consents; the code is exchanged (PKCE, client_secret_basic); the learner API answers', async () => {
    config = await oauthClient(base, registered.clientId, registered.clientSecret, 'basic');
    expect(config.serverMetadata().token_endpoint).toBe(`${base}/oauth/token`);
    const flow = await authorize(config, acme.learner.api, REDIRECT, 'learner:read learner:write');
    expect(flow.consent.data).toMatchObject({ app: { name: 'Salesforce' }, scopes: [{ scope: 'learner:read' }, { scope: 'learner:write' }] });
    expect(flow.back.searchParams.get('iss')).toBe(base);
    tokens = flow.tokens;
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'learner:read learner:write' });
    expect(tokens.expires_in).toBeGreaterThan(0);
    expect(tokens.expires_in).toBeLessThanOrEqual(3600);
    // Every value is stored hashed.
    const stored = JSON.stringify(await ctx.db.selectFrom('oauth_tokens').selectAll().execute()) + JSON.stringify(await ctx.db.selectFrom('oauth_codes').selectAll().execute());
    expect(stored).not.toContain(tokens.access_token);
    expect(stored).not.toContain(tokens.refresh_token);
    expect(stored).not.toContain(flow.back.searchParams.get('code'));

    const catalog = await client.fetchProtectedResource(config, tokens.access_token, new URL(`${base}/api/v1/learner/catalog`), 'GET');
    expect(catalog.status).toBe(200);
    expect((await catalog.json()).items.map((t: { name: string }) => t.name)).toEqual(['Workplace Safety']);

    const api = http(base, tokens.access_token);
    const rec = await api.get('/api/v1/learner/recommendations');
    expect(rec.data.items.map((t: { name: string }) => t.name)).toEqual(['Workplace Safety']);
    const enrolled = await api.post('/api/v1/learner/enrollments', { trainingId: courseId });
    expect(enrolled.status).toBe(201);
    expect(enrolled.data).toMatchObject({ email: acme.learner.user.email, trainingName: 'Workplace Safety', status: 'not_started' });
    const mine = await api.get('/api/v1/learner/enrollments');
    expect(mine.data.items.map((e: { trainingId: number }) => e.trainingId)).toEqual([courseId]);
    expect((await api.get('/api/v1/learner/recommendations')).data.items).toEqual([]);
    const progress = await api.get('/api/v1/learner/progress');
    expect(progress.data).toMatchObject({ enrollments: { notStarted: 1, inProgress: 0, completed: 0 } });
    await acme.admin.api.post('/api/v1/announcements', { title: 'New safety rules', body: 'Read them by Friday' });
    await acme.admin.api.post('/api/v1/announcements', { title: 'Already over', startsAt: new Date(Date.now() - 7200_000).toISOString(), endsAt: new Date(Date.now() - 3600_000).toISOString() });
    expect((await api.get('/api/v1/learner/announcements')).data.items.map((a: { title: string }) => a.title)).toEqual(['New safety rules']);
  });

  it('an authorization code is single-use: a second exchange fails and revokes what the first one gave', async () => {
    const flow = await authorize(config, acme.learner.api, REDIRECT, 'learner:read');
    const again = await client.authorizationCodeGrant(config, flow.back, { pkceCodeVerifier: flow.verifier, expectedState: flow.back.searchParams.get('state')! })
      .catch((e: unknown) => e as client.ResponseBodyError);
    expect((again as client.ResponseBodyError).error).toBe('invalid_grant');
    expect((await http(base, flow.tokens.access_token).get('/api/v1/learner/catalog')).status).toBe(401);
  });

  it('refresh rotates the refresh token; the old one is refused, and its reuse revokes the authorization', async () => {
    const fresh = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(fresh.refresh_token).not.toBe(tokens.refresh_token);
    expect(fresh.access_token).not.toBe(tokens.access_token);
    expect((await http(base, fresh.access_token).get('/api/v1/learner/progress')).status).toBe(200);
    const old = await client.refreshTokenGrant(config, tokens.refresh_token!).catch((e: unknown) => e as client.ResponseBodyError);
    expect(old).toBeInstanceOf(client.ResponseBodyError);
    expect((old as client.ResponseBodyError).error).toBe('invalid_grant');
    expect((old as client.ResponseBodyError).cause).toMatchObject({ error_code: 'LMC_ERR_OAUTH_INVALID_GRANT' });
    // Two parties held that refresh token: the newer tokens of the same authorization stop working too.
    expect((await http(base, fresh.access_token).get('/api/v1/learner/progress')).status).toBe(401);
    const newer = await client.refreshTokenGrant(config, fresh.refresh_token!).catch((e: unknown) => e as client.ResponseBodyError);
    expect((newer as client.ResponseBodyError).error).toBe('invalid_grant');
  });

  it('revocation (RFC 7009) with client_secret_post: a revoked refresh token ends its access tokens too', async () => {
    const post = await oauthClient(base, registered.clientId, registered.clientSecret, 'post');
    const { tokens: t } = await authorize(post, acme.learner.api, REDIRECT, 'learner:read');
    const refreshed = await client.refreshTokenGrant(post, t.refresh_token!);
    expect((await http(base, refreshed.access_token).get('/api/v1/learner/catalog')).status).toBe(200);
    await client.tokenRevocation(post, refreshed.refresh_token!, { token_type_hint: 'refresh_token' });
    const after = await http(base, refreshed.access_token).get('/api/v1/learner/catalog');
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toContain('invalid_token');
    expect(after.data.error.code).toBe('LMC_ERR_OAUTH_INVALID_TOKEN');
    const r = await client.refreshTokenGrant(post, refreshed.refresh_token!).catch((e: unknown) => e as client.ResponseBodyError);
    expect((r as client.ResponseBodyError).error).toBe('invalid_grant');
    // An unknown token is not an error (RFC 7009 §2.2).
    await client.tokenRevocation(post, 'lmcat_never-issued');
  });

  it('revoking an access token ends only that token', async () => {
    const { tokens: t } = await authorize(config, acme.learner.api, REDIRECT, 'learner:read');
    await client.tokenRevocation(config, t.access_token, { token_type_hint: 'access_token' });
    expect((await http(base, t.access_token).get('/api/v1/learner/catalog')).status).toBe(401);
    const again = await client.refreshTokenGrant(config, t.refresh_token!);
    expect((await http(base, again.access_token).get('/api/v1/learner/catalog')).status).toBe(200);
  });

  it('an expired access token and an expired code are refused', async () => {
    const { tokens: t } = await authorize(config, acme.learner.api, REDIRECT, 'learner:read');
    await ctx.db.updateTable('oauth_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('kind', '=', 'access').execute();
    expect((await http(base, t.access_token).get('/api/v1/learner/catalog')).status).toBe(401);

    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'learner:read', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const d = await acme.learner.api.post('/api/v1/oauth/authorize', { ...Object.fromEntries(url.searchParams), decision: 'allow' });
    await ctx.db.updateTable('oauth_codes').set({ expires_at: new Date(Date.now() - 1000) }).where('used_at', 'is', null).execute();
    const late = await client.authorizationCodeGrant(config, new URL(d.data.redirectTo), { pkceCodeVerifier: verifier }).catch((e: unknown) => e as client.ResponseBodyError);
    expect((late as client.ResponseBodyError).error).toBe('invalid_grant');
    expect((late as client.ResponseBodyError).error_description).toContain('expired');
  });

  it('a wrong PKCE verifier is refused', async () => {
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'learner:read', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const d = await acme.learner.api.post('/api/v1/oauth/authorize', { ...Object.fromEntries(url.searchParams), decision: 'allow' });
    const r = await client.authorizationCodeGrant(config, new URL(d.data.redirectTo), { pkceCodeVerifier: client.randomPKCECodeVerifier() }).catch((e: unknown) => e as client.ResponseBodyError);
    expect((r as client.ResponseBodyError).error).toBe('invalid_grant');
    expect((r as client.ResponseBodyError).error_description).toContain('code_verifier');
  });

  it('the user can deny: the client gets access_denied with its state', async () => {
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'learner:read', state: 'deny-me' });
    const d = await acme.learner.api.post('/api/v1/oauth/authorize', { ...Object.fromEntries(url.searchParams), decision: 'deny' });
    const back = new URL(d.data.redirectTo);
    expect([back.searchParams.get('error'), back.searchParams.get('state'), back.searchParams.get('code')]).toEqual(['access_denied', 'deny-me', null]);
  });

  it('revoking the application ends its tokens and its client credentials', async () => {
    const { tokens: t } = await authorize(config, acme.learner.api, REDIRECT, 'learner:read');
    expect((await acme.admin.api.post(`/api/v1/oauth-apps/${registered.id}/revoke`)).data.status).toBe('revoked');
    expect((await http(base, t.access_token).get('/api/v1/learner/catalog')).status).toBe(401);
    expect(await oauthError(client.refreshTokenGrant(config, t.refresh_token!))).toMatchObject({ status: 401, error: 'invalid_client' });
    expect((await acme.admin.api.delete(`/api/v1/oauth-apps/${registered.id}`)).status).toBe(204);
    expect((await acme.admin.api.get('/api/v1/oauth-apps')).data).toEqual([]);
  });
});
