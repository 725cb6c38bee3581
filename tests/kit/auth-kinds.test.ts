import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthErrors, apiKeyAuth, basicAuth, memoryTokenStore, oauth2AuthorizationCode, oauth2ClientCredentials, oauth2JwtBearer, pkcePair,
  wsSecurityUsernameToken, type AuthEnv,
} from '../../src/kit/auth/index.ts';
import { CLIENT, startOAuthServer, type OAuthServer } from './oauth-server.ts';

let sim: OAuthServer;
let base: string;
let seen: OAuthServer['seen'];
let codes: OAuthServer['codes'];
let liveRefresh: OAuthServer['liveRefresh'];
let PRIVATE_PEM: string;
beforeAll(async () => {
  sim = await startOAuthServer();
  ({ base, seen, codes, liveRefresh } = sim);
  PRIVATE_PEM = sim.privatePem;
});
afterAll(() => sim?.close());

let now = Date.now();
const env = (tokens = memoryTokenStore()): AuthEnv & { tokens: ReturnType<typeof memoryTokenStore> } => ({ tokens, connection: { base }, now: () => now });
const authHeader = async (session: { apply(r: { url: URL; headers: Headers }): Promise<void> }) => {
  const req = { url: new URL('https://api.test/v1/users'), headers: new Headers() };
  await session.apply(req);
  return req;
};

describe('auth kinds', () => {
  it('client credentials: one token for concurrent requests, renewed before it expires and once after a 401', async () => {
    const kind = oauth2ClientCredentials({ tokenUrl: (c) => `${c.base}/token`, scopes: ['https://graph.test/.default'], clientAuth: 'client_secret_basic' });
    const e = env();
    const session = kind.open({ clientId: CLIENT.id, clientSecret: CLIENT.secret }, e);
    const before = seen.length;
    const reqs = await Promise.all(Array.from({ length: 10 }, () => authHeader(session)));
    expect(seen.length - before).toBe(1);
    expect(seen.at(-1)).toEqual({ grant_type: 'client_credentials', scope: 'https://graph.test/.default' });
    const first = reqs[0].headers.get('authorization');
    expect(new Set(reqs.map((r) => r.headers.get('authorization')))).toEqual(new Set([first]));

    now += 3600_000 - 30_000; // within a minute of expiry: renewed before use
    expect((await authHeader(session)).headers.get('authorization')).not.toBe(first);
    expect(seen.length - before).toBe(2);

    // Another worker's session sends the same token.
    const other = kind.open({ clientId: CLIENT.id, clientSecret: CLIENT.secret }, e);
    await authHeader(other);
    // A 401 (the vendor refused the token it sent): renewed once, however many requests got the 401 together.
    expect(await Promise.all([session.refresh!(), session.refresh!(), session.refresh!()])).toEqual([true, true, true]);
    expect(seen.length - before).toBe(3);
    // The other worker's request with the old token gets its 401 too: it finds the renewed token and asks for none.
    expect(await other.refresh!()).toBe(true);
    expect(seen.length - before).toBe(3);
  });

  it('client credentials: a wrong secret is INVALID_CLIENT and the message never holds it', async () => {
    const kind = oauth2ClientCredentials({ tokenUrl: `${base}/token` });
    const err = await authHeader(kind.open({ clientId: CLIENT.id, clientSecret: 'wrong-secret-value' }, env())).catch((e) => e);
    expect(AuthErrors.INVALID_CLIENT.is(err)).toBe(true);
    expect(JSON.stringify({ m: err.message, j: err.toJSON() })).not.toContain('wrong-secret-value');
  });

  it('authorization code with PKCE; rotating refresh tokens spent once; a refused grant asks for a new authorization', async () => {
    const kind = oauth2AuthorizationCode({ authorizeUrl: (c) => `${c.base}/authorize`, tokenUrl: (c) => `${c.base}/token`, scopes: ['api', 'refresh_token'] });
    const s = { clientId: CLIENT.id, clientSecret: CLIENT.secret };
    const pkce = pkcePair();
    const url = new URL(kind.authorization!.url(s, { base }, { redirectUri: 'https://lmc.test/oauth/callback', state: 'st-1', codeChallenge: pkce.challenge }));
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ response_type: 'code', client_id: CLIENT.id, state: 'st-1', code_challenge_method: 'S256', scope: 'api refresh_token' });
    // The admin signs in; the vendor redirects back with a code bound to the challenge.
    codes.set('code-1', url.searchParams.get('code_challenge')!);
    const e = env();
    const wrongVerifier = await kind.authorization!.exchange(s, e, { code: 'code-1', redirectUri: 'x', codeVerifier: pkcePair().verifier }).catch((err) => err);
    expect(AuthErrors.NEEDS_REAUTHORIZATION.is(wrongVerifier)).toBe(true);
    codes.set('code-2', pkce.challenge);
    const granted = await kind.authorization!.exchange(s, e, { code: 'code-2', redirectUri: 'x', codeVerifier: pkce.verifier });
    expect(granted.refreshToken).toMatch(/^rt-/);
    await e.tokens.set({ ...granted, expiresAt: now - 1 }); // expired: the next request renews it

    const session = kind.open(s, e);
    const [a, b] = await Promise.all([authHeader(session), authHeader(session)]);
    expect(a.headers.get('authorization')).toBe(b.headers.get('authorization'));
    const renewed = await e.tokens.get();
    expect(renewed!.refreshToken).not.toBe(granted.refreshToken); // rotated, and the old one was spent once
    expect(liveRefresh.has(granted.refreshToken!)).toBe(false);

    // An admin revokes the app at the vendor: the saved refresh token is refused.
    liveRefresh.clear();
    now += 10_000;
    const err = await session.refresh!().catch((x) => x);
    expect(AuthErrors.NEEDS_REAUTHORIZATION.is(err)).toBe(true);
    expect(e.tokens.reauthReason).toMatch(/invalid_grant/);
    expect(err.message).not.toContain(renewed!.refreshToken!);
  });

  it('authorization code before any sign-in: NOT_AUTHORIZED', async () => {
    const kind = oauth2AuthorizationCode({ authorizeUrl: `${base}/authorize`, tokenUrl: `${base}/token` });
    const err = await authHeader(kind.open({ clientId: CLIENT.id }, env())).catch((e) => e);
    expect(AuthErrors.NOT_AUTHORIZED.is(err)).toBe(true);
  });

  it('JWT bearer: an RS256 assertion the server verifies with the public key', async () => {
    const kind = oauth2JwtBearer({ tokenUrl: `${base}/token`, audience: 'https://login.test' });
    const req = await authHeader(kind.open({ clientId: CLIENT.id, username: 'integration@acme.test', privateKey: PRIVATE_PEM }, env()));
    expect(req.headers.get('authorization')).toMatch(/^Bearer at-/);
    const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const refused = await authHeader(kind.open({ clientId: CLIENT.id, username: 'u', privateKey: other }, env())).catch((e) => e);
    expect(AuthErrors.NEEDS_REAUTHORIZATION.is(refused)).toBe(true);
    const unreadable = await authHeader(kind.open({ clientId: CLIENT.id, username: 'u', privateKey: 'not a key' }, env())).catch((e) => e);
    expect(AuthErrors.BAD_KEY.is(unreadable)).toBe(true);
  });

  it('static kinds: basic, API key in a header or the query, WS-Security with XML escaped', async () => {
    const b = await authHeader(basicAuth.open({ username: 'ann', password: 'p:w' }, env()));
    expect(b.headers.get('authorization')).toBe(`Basic ${Buffer.from('ann:p:w').toString('base64')}`);
    const q = await authHeader(apiKeyAuth({ in: 'query', name: 'api_key' }).open({ apiKey: 'k&1' }, env()));
    expect(q.url.searchParams.get('api_key')).toBe('k&1');
    const h = await authHeader(apiKeyAuth({ in: 'header', name: 'Authorization', prefix: 'Token ' }).open({ apiKey: 'k2' }, env()));
    expect(h.headers.get('authorization')).toBe('Token k2');
    const soap = wsSecurityUsernameToken.open({ username: 'isu@acme', password: 'a<b&"c' }, env()).soapHeader();
    expect(soap).toContain('<wsse:Username>isu@acme</wsse:Username>');
    expect(soap).toContain('#PasswordText">a&lt;b&amp;&quot;c</wsse:Password>');
  });
});
