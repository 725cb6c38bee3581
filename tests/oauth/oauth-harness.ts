import * as client from 'openid-client';
import type { Api } from '../../src/api/types.ts';
import type { Role } from '../../src/db/schema/core.ts';
import { ADMIN_ROLES, createAccount } from '../../src/platform/accounts.ts';
import { hashPassword } from '../../src/shared/passwords.ts';
import type { TestContext } from '../helpers/test-context.ts';

/** The real API listening on a loopback port, its public URL (the OAuth issuer) set to that address. */
export async function listen(ctx: TestContext, app: Api): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  const url = `http://127.0.0.1:${addr.port}`;
  ctx.config.publicUrl = url;
  return url;
}

/** A JSON client of the API over real HTTP with a bearer token (a session, an API token or an OAuth access token). */
export function http(base: string, token?: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let data: any;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = text;
    }
    return { status: res.status, data, headers: res.headers, text };
  };
  return {
    get: (p: string) => call('GET', p),
    post: (p: string, b: unknown = {}) => call('POST', p, b),
    delete: (p: string) => call('DELETE', p),
  };
}

/** A user with a password in an account; signs in through the API like the web app and returns the session token. */
export async function userWithSession(ctx: TestContext, base: string, accountId: number, email: string, roles: Role[]) {
  const password = `pw for ${email}`;
  const u = await ctx.db.insertInto('users').values({ account_id: accountId, email, name: email.split('@')[0], roles, password_hash: await hashPassword(password) })
    .returningAll().executeTakeFirstOrThrow();
  const r = await http(base).post('/api/v1/auth/sign-in', { email, password, accountId });
  if (r.status !== 200) throw new Error(`sign-in of ${email}: ${r.status} ${r.text}`);
  return { user: u, token: r.data.token as string, api: http(base, r.data.token) };
}

/** An account with an integration admin (signed in) and a learner (signed in). */
export async function accountWithPeople(ctx: TestContext, base: string, name: string) {
  const account = await createAccount(ctx.db, { name });
  const slug = account.slug;
  const admin = await userWithSession(ctx, base, account.id, `admin@${slug}.test`, ADMIN_ROLES);
  const learner = await userWithSession(ctx, base, account.id, `lea@${slug}.test`, ['learner']);
  return { account, admin, learner };
}

/** openid-client configured from the server's RFC 8414 metadata, for an application's credentials. */
export async function oauthClient(base: string, clientId: string, secret: string, auth: 'basic' | 'post' = 'basic') {
  return client.discovery(new URL(base), clientId, undefined, auth === 'basic' ? client.ClientSecretBasic(secret) : client.ClientSecretPost(secret), {
    algorithm: 'oauth2',
    execute: [client.allowInsecureRequests],
  });
}

/**
 * The authorization-code flow as a browser would drive it: openid-client builds the authorization URL (PKCE S256,
 * state), the signed-in user's consent screen checks it and posts "allow", and openid-client redeems the code from
 * the URL the browser is sent back to.
 */
export async function authorize(config: client.Configuration, user: ReturnType<typeof http>, redirectUri: string, scope: string) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const authUrl = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri, scope, state, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  const query = Object.fromEntries(authUrl.searchParams);
  const consent = await user.get(`/api/v1/oauth/authorization-request?${authUrl.searchParams}`);
  const decision = await user.post('/api/v1/oauth/authorize', { ...query, decision: 'allow' });
  if (decision.status !== 200) throw new Error(`consent: ${decision.status} ${decision.text}`);
  const back = new URL(decision.data.redirectTo);
  const tokens = await client.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: state });
  return { consent, back, tokens, authUrl, verifier };
}

/**
 * The OAuth error a client call failed with: openid-client throws ResponseBodyError for a §5.2 body, and
 * WWWAuthenticateChallengeError for a 401 with WWW-Authenticate (client_secret_basic refused), whose body we read.
 */
export async function oauthError(p: Promise<unknown>): Promise<{ status: number; error: string; description?: string; code?: string; challenge?: string }> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  if (e instanceof client.ResponseBodyError) return { status: e.status, error: e.error, description: e.error_description, code: (e.cause as { error_code?: string }).error_code };
  if (e instanceof client.WWWAuthenticateChallengeError) {
    const body = (await e.response.json()) as { error: string; error_description?: string; error_code?: string };
    return { status: e.status, error: body.error, description: body.error_description, code: body.error_code, challenge: e.response.headers.get('www-authenticate') ?? undefined };
  }
  throw new Error(`expected an OAuth error, got ${e === undefined ? 'success' : String(e)}`);
}
