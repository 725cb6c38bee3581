import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/kit/http/client.ts';
import { HttpError } from '../../src/kit/http/http-error.ts';
import { CLIENT, PUBLIC_CLIENT, startTestVendor, type TestVendor } from './test-vendor.ts';

const form = (b: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(b) });

describe('simulator kit: OAuth token endpoint and bearer tokens', () => {
  let v: TestVendor;
  beforeAll(async () => {
    v = await startTestVendor({ accessTtlSeconds: 1 });
  });
  afterAll(() => v.close());

  it('client credentials: form or HTTP Basic; a wrong secret is invalid_client', async () => {
    const a = await fetch(`${v.url}/oauth2/token`, form({ grant_type: 'client_credentials', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }));
    expect(a.status).toBe(200);
    expect(await a.json()).toMatchObject({ token_type: 'Bearer', expires_in: 1 });
    const basic = Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64');
    const b = await fetch(`${v.url}/oauth2/token`, { ...form({ grant_type: 'client_credentials' }), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` } });
    expect(b.status).toBe(200);
    const c = await fetch(`${v.url}/oauth2/token`, form({ grant_type: 'client_credentials', client_id: CLIENT.clientId, client_secret: 'wrong' }));
    expect([c.status, ((await c.json()) as { error: string }).error]).toEqual([401, 'invalid_client']);
  });

  it('a token expires after its TTL (the bearer check answers 401)', async () => {
    const { access_token } = v.tokens.issue(CLIENT.clientId);
    const ok = await fetch(`${v.url}/link/items`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(ok.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    const late = await fetch(`${v.url}/link/items`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(late.status).toBe(401);
    expect(late.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('refresh tokens rotate: each is usable once, a reuse is invalid_grant', async () => {
    const first = v.tokens.issue(CLIENT.clientId, { refresh: true }); // as after an authorization code grant
    const refresh = (rt: string) => fetch(`${v.url}/oauth2/token`, form({ grant_type: 'refresh_token', refresh_token: rt, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }));
    const r1 = await refresh(first.refresh_token!);
    const g1 = (await r1.json()) as { access_token: string; refresh_token: string };
    expect(r1.status).toBe(200);
    expect(g1.refresh_token).not.toBe(first.refresh_token);
    const again = await refresh(first.refresh_token!);
    expect([again.status, ((await again.json()) as { error: string }).error]).toEqual([400, 'invalid_grant']);
    expect(v.tokens.reusedRefreshTokens).toBe(1);
    expect((await refresh(g1.refresh_token)).status).toBe(200);
  });
});

describe('simulator kit: authorization code with PKCE', () => {
  let v: TestVendor;
  beforeAll(async () => {
    v = await startTestVendor();
  });
  afterAll(() => v.close());

  const authorize = async (q: Record<string, string>) => {
    const res = await fetch(`${v.url}/oauth2/authorize?${new URLSearchParams(q)}`, { redirect: 'manual' });
    return { status: res.status, location: res.headers.get('location') ? new URL(res.headers.get('location')!) : undefined };
  };

  it('consents at once, redirects with code and state; the code needs the right verifier and is single use', async () => {
    const verifier = crypto.randomBytes(32).toString('base64url');
    const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
    const redirect = PUBLIC_CLIENT.redirectUris[0];
    const a = await authorize({ response_type: 'code', client_id: PUBLIC_CLIENT.clientId, redirect_uri: redirect, state: 'st-1', code_challenge: challenge, code_challenge_method: 'S256' });
    expect(a.status).toBe(302);
    expect(a.location!.searchParams.get('state')).toBe('st-1');
    const code = a.location!.searchParams.get('code')!;
    const exchange = (c: string, v2: string) => fetch(`${v.url}/oauth2/token`, form({ grant_type: 'authorization_code', code: c, client_id: PUBLIC_CLIENT.clientId, redirect_uri: redirect, code_verifier: v2 }));
    const wrong = await exchange(code, 'not-the-verifier');
    expect([wrong.status, ((await wrong.json()) as { error: string }).error]).toEqual([400, 'invalid_grant']);
    // A failed exchange burns the code (as Entra does): authorize again.
    const b = await authorize({ response_type: 'code', client_id: PUBLIC_CLIENT.clientId, redirect_uri: redirect, state: 's', code_challenge: challenge, code_challenge_method: 'S256' });
    const code2 = b.location!.searchParams.get('code')!;
    const ok = await exchange(code2, verifier);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ token_type: 'Bearer', refresh_token: expect.any(String) });
    expect((await exchange(code2, verifier)).status).toBe(400);
  });

  it('an unknown redirect URI is refused without redirecting; a missing PKCE challenge goes back as an error', async () => {
    expect((await authorize({ response_type: 'code', client_id: CLIENT.clientId, redirect_uri: 'https://evil.example/cb' })).status).toBe(400);
    const r = await authorize({ response_type: 'code', client_id: CLIENT.clientId, redirect_uri: CLIENT.redirectUris[0], state: 'x' });
    expect(r.status).toBe(302);
    expect(r.location!.searchParams.get('error')).toBe('invalid_request');
  });
});

describe('simulator kit: HTTPS with a generated CA', () => {
  let v: TestVendor;
  beforeAll(async () => {
    v = await startTestVendor({ https: true });
  });
  afterAll(() => v.close());

  it('a client that trusts the CA gets through; one that does not is refused with a TLS error, not retried', async () => {
    expect(v.url).toMatch(/^https:/);
    const trusting = createHttpClient({ baseUrl: v.url, ca: v.ca!.certPem });
    expect(await trusting.get('/open')).toEqual({ open: true });
    await trusting.close();
    const plain = createHttpClient({ baseUrl: v.url, retry: { baseMs: 1 } });
    const e = await plain.get('/open').catch((x: unknown) => x as HttpError);
    expect(e).toBeInstanceOf(HttpError);
    expect(e).toMatchObject({ code: 'LMC_ERR_HTTP_TLS', retryable: false, attempts: 1 });
    expect(plain.counters.retries).toBe(0);
  });
});
