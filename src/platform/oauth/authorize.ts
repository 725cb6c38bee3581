import crypto from 'node:crypto';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import type { Principal } from '../api-tokens.ts';
import { OAuthAppErrors, OAuthErrors, rfcError } from './errors.ts';
import { grantableScopes, parseScope, SCOPES, type Scope } from './scopes.ts';
import { PREFIX, randomValue, sha256 } from './secrets.ts';

/** Authorization codes live two minutes (RFC 6749 §4.1.2 recommends at most ten) and are used once. */
export const CODE_TTL_SECONDS = 120;

/**
 * The platform's own "Access Tokens for Testing and Development" page: a redirect URI every application of the
 * account may use, so an admin can get a code and a refresh token by hand (the spec's set-up of the Salesforce
 * package). The code lands in the signed-in admin's own browser on this server, and is useless without the
 * client secret.
 */
export const DEVELOPER_REDIRECT_PATH = '/developer/access-tokens';

/** The query of an authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3). */
export const AuthorizationRequestSchema = z.object({
  response_type: z.string().max(50).optional(),
  client_id: z.string().max(200).optional(),
  redirect_uri: z.string().max(2000).optional(),
  scope: z.string().max(500).optional(),
  state: z.string().max(2000).optional(),
  code_challenge: z.string().max(200).optional(),
  code_challenge_method: z.string().max(20).optional(),
});
export type AuthorizationRequest = z.infer<typeof AuthorizationRequestSchema>;

/** Where the browser goes after the user's decision (or an error the client must learn of): redirect_uri + query. */
function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const u = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return u.toString();
}

export interface CheckedRequest {
  app: { id: number; name: string; description: string; accountId: number };
  redirectUri: string;
  scopes: Scope[];
  state?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
}

/**
 * Checks an authorization request for the signed-in user. An unknown client or a redirect URI that is not
 * registered is answered to the user, never by redirecting (RFC 6749 §4.1.2.1: that would make this server an
 * open redirector); the other errors are sent to the client at its redirect URI (`redirectTo`).
 * Applications of other accounts are unknown here.
 */
export async function checkAuthorizationRequest(db: Database, user: Principal, q: AuthorizationRequest, issuer: string): Promise<CheckedRequest | { redirectTo: string }> {
  if (!q.client_id) throw OAuthErrors.INVALID_REQUEST.create({ detail: 'client_id is missing', field: 'client_id' });
  const app = await db.selectFrom('oauth_apps').selectAll().where('client_id', '=', q.client_id).where('account_id', '=', user.accountId).executeTakeFirst();
  if (!app) throw OAuthAppErrors.NOT_FOUND.create({ detail: `client_id ${q.client_id}`, field: 'client_id' });
  if (!q.redirect_uri) throw OAuthErrors.INVALID_REQUEST.create({ detail: 'redirect_uri is missing (this server requires it)', field: 'redirect_uri' });
  if (!app.redirect_uris.includes(q.redirect_uri) && q.redirect_uri !== `${issuer}${DEVELOPER_REDIRECT_PATH}`) throw OAuthAppErrors.REDIRECT_URI_MISMATCH.create({ detail: q.redirect_uri, field: 'redirect_uri' });
  const fail = (e: { code: string; message: string }) => ({ redirectTo: redirectWith(q.redirect_uri!, { error: rfcError(e.code) ?? 'invalid_request', error_description: e.message, state: q.state, iss: issuer }) });
  try {
    if (app.status !== 'approved') throw OAuthErrors.UNAUTHORIZED_CLIENT.create(`the application is ${app.status === 'pending' ? 'waiting for approval' : 'revoked'}`);
    if (q.response_type !== 'code') throw OAuthErrors.UNSUPPORTED_RESPONSE_TYPE.create(`got "${q.response_type ?? ''}"`);
    const scopes = grantableScopes(parseScope(q.scope), app.scopes, user.roles);
    let method: 'S256' | 'plain' | undefined;
    if (q.code_challenge !== undefined) {
      method = (q.code_challenge_method ?? 'plain') as 'S256' | 'plain';
      if (method !== 'S256' && method !== 'plain') throw OAuthErrors.INVALID_REQUEST.create('code_challenge_method must be S256 or plain');
      // RFC 7636 §4.2: 43 to 128 characters of [A-Z a-z 0-9 - . _ ~].
      if (!/^[A-Za-z0-9._~-]{43,128}$/.test(q.code_challenge)) throw OAuthErrors.INVALID_REQUEST.create('code_challenge must be 43 to 128 unreserved characters');
    } else if (q.code_challenge_method !== undefined) throw OAuthErrors.INVALID_REQUEST.create('code_challenge_method without code_challenge');
    return {
      app: { id: app.id, name: app.name, description: app.description, accountId: app.account_id },
      redirectUri: q.redirect_uri, scopes, state: q.state, codeChallenge: q.code_challenge, codeChallengeMethod: method,
    };
  } catch (e) {
    if (e instanceof Error && 'code' in e && rfcError(String(e.code))) return fail(e as { code: string; message: string });
    throw e;
  }
}

/** What the consent screen shows. */
export function consentView(c: CheckedRequest) {
  return { app: { name: c.app.name, description: c.app.description }, scopes: c.scopes.map((s) => ({ scope: s, label: SCOPES[s] })) };
}

/**
 * The user's decision on a checked request: a single-use code bound to the client, user, redirect URI, scopes and
 * PKCE challenge, or `access_denied`. Answers the URL to send the browser to (with `state` and `iss`, RFC 9207).
 */
export async function decide(db: Database, user: Principal, c: CheckedRequest, allow: boolean, issuer: string): Promise<string> {
  if (!allow) return redirectWith(c.redirectUri, { error: 'access_denied', error_description: 'the user denied the authorization', state: c.state, iss: issuer });
  const code = randomValue(PREFIX.code);
  await db.insertInto('oauth_codes').values({
    code_hash: sha256(code), app_id: c.app.id, account_id: c.app.accountId, user_id: user.userId, redirect_uri: c.redirectUri, scopes: c.scopes,
    code_challenge: c.codeChallenge ?? null, code_challenge_method: c.codeChallengeMethod ?? null, expires_at: new Date(Date.now() + CODE_TTL_SECONDS * 1000),
  }).execute();
  return redirectWith(c.redirectUri, { code, state: c.state, iss: issuer });
}

/** RFC 7636 §4.6: does the verifier match the challenge? */
export function pkceMatches(verifier: string, challenge: string, method: string): boolean {
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const computed = method === 'S256' ? crypto.createHash('sha256').update(verifier).digest('base64url') : verifier;
  return computed.length === challenge.length && crypto.timingSafeEqual(Buffer.from(computed), Buffer.from(challenge));
}
