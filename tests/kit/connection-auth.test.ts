import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
process.env.LMC_EXTRA_CONNECTOR_DIRS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
import { apiClient, buildApi, createAccountWithToken } from '../helpers/api.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import type { Api } from '../../src/api/types.ts';
import { openConnectionAuth } from '../../src/engine/connection-auth.ts';
import { tokenStatus } from '../../src/engine/token-store.ts';
import { AuthErrors } from '../../src/kit/auth/errors.ts';
import { CLIENT, startOAuthServer, type OAuthServer } from './oauth-server.ts';

// "Connect" for a connector that signs in at the vendor, through the real API and database: the sign-in
// page, the callback, tokens encrypted at rest and renewed by runs, and a revoked grant that asks an admin
// to connect again.
let ctx: TestContext;
let app: Api;
let vendor: OAuthServer;
let admin: ReturnType<typeof apiClient>;
let accountId: number;
const PUBLIC_URL = 'https://lmc.example.test';
let now = Date.now();
const clock = { now: () => new Date(now) };

beforeAll(async () => {
  vendor = await startOAuthServer();
  ctx = await createTestContext({ LMC_PUBLIC_URL: PUBLIC_URL }, { clock });
  app = await buildApi(ctx);
  const a = await createAccountWithToken(ctx);
  accountId = a.account.id;
  admin = apiClient(app, a.token);
});
afterAll(async () => {
  await app?.close();
  await ctx?.destroy();
  await vendor?.close();
});

/** Follows the vendor's redirect back to our callback, as the admin's browser would. */
async function signInAtVendor(url: string): Promise<string> {
  const atVendor = await fetch(url, { redirect: 'manual' });
  const back = new URL(atVendor.headers.get('location')!);
  expect(back.origin + back.pathname).toBe(`${PUBLIC_URL}/api/v1/oauth/callback`);
  const res = await app.inject({ method: 'GET', url: back.pathname + back.search });
  expect(res.statusCode).toBe(302);
  return res.headers.location as string;
}

describe('connecting at the vendor (OAuth 2.0 authorization code + PKCE)', () => {
  it('authorizes a connection, keeps its tokens encrypted, renews them, and asks for a new authorization when refused', async () => {
    const created = await admin.post('/api/v1/connections', { connectorId: 'oauth-test', name: 'CRM', settings: { baseUrl: vendor.base, auth: { clientId: CLIENT.id, clientSecret: CLIENT.secret } } });
    expect(created.statusCode).toBe(201);
    const id = created.data.id as number;
    expect(created.data.settings.auth).toEqual({ clientId: CLIENT.id });
    expect(created.data.secrets).toEqual({ 'auth.clientSecret': true });

    // Before Connect, a run cannot sign in.
    const before = await (await openConnectionAuth(ctx, accountId, id))!.apply({ url: new URL('https://api.test'), headers: new Headers() }).catch((e) => e);
    expect(AuthErrors.NOT_AUTHORIZED.is(before)).toBe(true);

    const start = await admin.post(`/api/v1/connections/${id}/authorize`);
    expect(start.statusCode).toBe(200);
    const page = new URL(start.data.url);
    expect(page.origin).toBe(vendor.base);
    expect(page.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/api/v1/oauth/callback`);
    expect(page.searchParams.get('code_challenge_method')).toBe('S256');
    expect(await signInAtVendor(start.data.url)).toBe(`${PUBLIC_URL}/connections/${id}/configure?authorized=1`);
    expect((await tokenStatus(ctx, accountId, id)).authorized).toBe(true);

    const stored = await ctx.db.selectFrom('connection_tokens').select('sealed').where('connection_id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toMatch(/at-\d|rt-\d/);

    const session = (await openConnectionAuth(ctx, accountId, id))!;
    const req = { url: new URL('https://api.test'), headers: new Headers() };
    await session.apply(req);
    expect(req.headers.get('authorization')).toMatch(/^Bearer at-\d+$/);

    // The vendor revokes the grant; the next renewal is refused: the connection waits for an admin.
    vendor.liveRefresh.clear();
    now += 3600_000; // the access token expired meanwhile
    const refused = await session.refresh!().catch((e) => e);
    expect(AuthErrors.NEEDS_REAUTHORIZATION.is(refused)).toBe(true);
    expect((await tokenStatus(ctx, accountId, id)).needsReauthorization).toMatch(/invalid_grant/);
    const notes = await admin.get('/api/v1/notifications');
    expect(notes.data.notifications.some((n: { title: string }) => n.title === 'The connection "CRM" must be connected again')).toBe(true);
    const stillRefused = await session.apply({ url: new URL('https://api.test'), headers: new Headers() }).catch((e) => e);
    expect(AuthErrors.NEEDS_REAUTHORIZATION.is(stillRefused)).toBe(true);

    // Connect again: usable at once.
    const again = await admin.post(`/api/v1/connections/${id}/authorize`);
    await signInAtVendor(again.data.url);
    expect((await tokenStatus(ctx, accountId, id)).authorized).toBe(true);

    // Two workers renew at once (e.g. both got a 401): the rotating refresh token is spent once, both go on.
    now += 3600_000;
    const [w1, w2] = [(await openConnectionAuth(ctx, accountId, id))!, (await openConnectionAuth(ctx, accountId, id))!];
    const requests = vendor.seen.length;
    expect(await Promise.all([w1.refresh!(), w2.refresh!()])).toEqual([true, true]);
    expect(vendor.seen.slice(requests).map((p) => p.grant_type)).toEqual(['refresh_token']);
    expect((await tokenStatus(ctx, accountId, id)).authorized).toBe(true);
  });

  it('refuses a forged, foreign or expired state, and says why on the connection page', async () => {
    const forged = await app.inject({ method: 'GET', url: '/api/v1/oauth/callback?code=x&state=not-ours' });
    expect(forged.statusCode).toBe(302);
    expect(decodeURIComponent(forged.headers.location as string)).toMatch(/authorizationError=.*does not belong to a request of this server/);
    const created = await admin.post('/api/v1/connections', { connectorId: 'oauth-test', name: 'Denied', settings: { baseUrl: vendor.base, auth: { clientId: CLIENT.id } } });
    const start = await admin.post(`/api/v1/connections/${created.data.id}/authorize`);
    const state = new URL(start.data.url).searchParams.get('state')!;
    const denied = await app.inject({ method: 'GET', url: `/api/v1/oauth/callback?error=access_denied&state=${encodeURIComponent(state)}` });
    expect(denied.headers.location).toMatch(new RegExp(`/connections/${created.data.id}/configure\\?authorizationError=.*access_denied`));
  });
});
