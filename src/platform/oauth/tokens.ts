import type { Database } from '../../db/database.ts';
import type { Principal } from '../api-tokens.ts';
import { OAuthErrors } from './errors.ts';
import { pkceMatches } from './authorize.ts';
import { parseScope, type Scope } from './scopes.ts';
import { PREFIX, randomValue, sameSecret, sha256 } from './secrets.ts';

/** Access tokens are short-lived (30 minutes); refresh tokens last 180 days and are replaced at every use. */
export const ACCESS_TOKEN_TTL_SECONDS = 30 * 60;
export const REFRESH_TOKEN_TTL_SECONDS = 180 * 24 * 3600;

export interface ClientCredentials {
  /** From HTTP Basic (client_secret_basic) or the form (client_secret_post). */
  clientId?: string;
  clientSecret?: string;
  method: 'client_secret_basic' | 'client_secret_post' | 'none';
}

/**
 * RFC 6749 §2.3.1: client_secret_basic (id and secret form-urlencoded, then Basic) or client_secret_post;
 * using both at once is refused (§2.3).
 */
export function clientCredentials(authorization: string | undefined, body: Record<string, string>): ClientCredentials {
  if (authorization?.toLowerCase().startsWith('basic ')) {
    if (body.client_secret !== undefined) throw OAuthErrors.INVALID_REQUEST.create('use one client authentication method: Basic or client_secret in the body');
    const raw = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const i = raw.indexOf(':');
    if (i < 0) throw OAuthErrors.INVALID_CLIENT.create('the Basic credentials have no ":"');
    const dec = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        throw OAuthErrors.INVALID_CLIENT.create('the Basic credentials are not form-urlencoded');
      }
    };
    const clientId = dec(raw.slice(0, i));
    if (body.client_id !== undefined && body.client_id !== clientId) throw OAuthErrors.INVALID_REQUEST.create('client_id differs from the Basic credentials');
    return { clientId, clientSecret: dec(raw.slice(i + 1)), method: 'client_secret_basic' };
  }
  if (body.client_secret !== undefined) return { clientId: body.client_id, clientSecret: body.client_secret, method: 'client_secret_post' };
  return { clientId: body.client_id, method: 'none' };
}

/** The approved application these credentials prove, or invalid_client. */
export async function authenticateClient(db: Database, c: ClientCredentials) {
  if (!c.clientId || c.clientSecret === undefined) throw OAuthErrors.INVALID_CLIENT.create({ detail: 'the client is confidential: send client_id and client_secret (Basic or form)', data: { method: c.method } });
  const app = await db.selectFrom('oauth_apps').select(['id', 'account_id', 'status', 'client_secret_hash']).where('client_id', '=', c.clientId).executeTakeFirst();
  // The same answer for an unknown id and a wrong secret: nothing tells which client ids exist.
  if (!app || !sameSecret(app.client_secret_hash, sha256(c.clientSecret))) throw OAuthErrors.INVALID_CLIENT.create({ data: { method: c.method } });
  if (app.status !== 'approved') throw OAuthErrors.INVALID_CLIENT.create({ detail: `the application is ${app.status === 'pending' ? 'waiting for approval' : 'revoked'}`, data: { method: c.method } });
  return { id: app.id, accountId: app.account_id };
}

/** A token response (RFC 6749 §5.1). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

async function issueTokens(trx: Database, grantId: number, scopes: string[]): Promise<TokenResponse> {
  const access = randomValue(PREFIX.access);
  const refresh = randomValue(PREFIX.refresh);
  const now = Date.now();
  await trx.insertInto('oauth_tokens').values([
    { token_hash: sha256(access), grant_id: grantId, kind: 'access', expires_at: new Date(now + ACCESS_TOKEN_TTL_SECONDS * 1000) },
    { token_hash: sha256(refresh), grant_id: grantId, kind: 'refresh', expires_at: new Date(now + REFRESH_TOKEN_TTL_SECONDS * 1000) },
  ]).execute();
  return { access_token: access, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_SECONDS, refresh_token: refresh, scope: scopes.join(' ') };
}

async function revokeGrant(db: Database, grantId: number, reason: string): Promise<void> {
  await db.updateTable('oauth_grants').set({ revoked_at: new Date(), revoked_reason: reason }).where('id', '=', grantId).where('revoked_at', 'is', null).execute();
}

/**
 * authorization_code grant (RFC 6749 §4.1.3): the code is used once (a second use revokes what the first one
 * gave, §4.1.2), belongs to this client, has not lapsed, names the same redirect URI, and passes PKCE when the
 * authorization request had a challenge.
 */
export async function exchangeCode(db: Database, client: { id: number }, p: { code?: string; redirect_uri?: string; code_verifier?: string }): Promise<TokenResponse> {
  if (!p.code) throw OAuthErrors.INVALID_REQUEST.create({ detail: 'code is missing', field: 'code' });
  const hash = sha256(p.code);
  const out = await db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('oauth_codes').selectAll().where('code_hash', '=', hash).forUpdate().executeTakeFirst();
    if (!c || c.app_id !== client.id) return { error: OAuthErrors.INVALID_GRANT.create('unknown authorization code') };
    if (c.used_at) return { error: OAuthErrors.INVALID_GRANT.create('the authorization code was used already (the tokens it gave are revoked)'), reused: c.grant_id };
    if (c.expires_at.getTime() <= Date.now()) return { error: OAuthErrors.INVALID_GRANT.create('the authorization code has expired') };
    if (p.redirect_uri !== c.redirect_uri) return { error: OAuthErrors.INVALID_GRANT.create('redirect_uri differs from the authorization request') };
    if (c.code_challenge) {
      if (!p.code_verifier) return { error: OAuthErrors.INVALID_GRANT.create('code_verifier is missing (the authorization request had a PKCE challenge)') };
      if (!pkceMatches(p.code_verifier, c.code_challenge, c.code_challenge_method ?? 'plain')) return { error: OAuthErrors.INVALID_GRANT.create('code_verifier does not match the PKCE challenge') };
    } else if (p.code_verifier) return { error: OAuthErrors.INVALID_GRANT.create('code_verifier given but the authorization request had no PKCE challenge') };
    const user = await trx.selectFrom('users').select('state').where('id', '=', c.user_id).executeTakeFirst();
    if (user?.state !== 'active') return { error: OAuthErrors.INVALID_GRANT.create('the user who authorized is no longer active') };
    const grant = await trx.insertInto('oauth_grants').values({ app_id: c.app_id, account_id: c.account_id, user_id: c.user_id, scopes: c.scopes }).returning('id').executeTakeFirstOrThrow();
    await trx.updateTable('oauth_codes').set({ used_at: new Date(), grant_id: grant.id }).where('code_hash', '=', hash).execute();
    return { tokens: await issueTokens(trx, grant.id, c.scopes) };
  });
  if ('reused' in out && out.reused) await revokeGrant(db, out.reused, 'authorization code used twice');
  if ('error' in out && out.error) throw out.error;
  return out.tokens!;
}

/**
 * refresh_token grant (RFC 6749 §6) with rotation: the refresh token is replaced by a new one at each use. A
 * replaced refresh token presented again means two parties hold it, so the whole grant is revoked (OAuth 2.0
 * Security BCP, RFC 9700 §4.14.2). A `scope` may not go beyond the grant's.
 */
export async function refresh(db: Database, client: { id: number }, p: { refresh_token?: string; scope?: string }): Promise<TokenResponse> {
  if (!p.refresh_token) throw OAuthErrors.INVALID_REQUEST.create({ detail: 'refresh_token is missing', field: 'refresh_token' });
  const hash = sha256(p.refresh_token);
  const out = await db.transaction().execute(async (trx) => {
    const t = await trx.selectFrom('oauth_tokens as t').innerJoin('oauth_grants as g', 'g.id', 't.grant_id').innerJoin('users as u', 'u.id', 'g.user_id')
      .select(['t.grant_id', 't.replaced_at', 't.revoked_at', 't.expires_at', 'g.app_id', 'g.scopes', 'g.revoked_at as grant_revoked_at', 'u.state'])
      .where('t.token_hash', '=', hash).where('t.kind', '=', 'refresh').forUpdate('t').executeTakeFirst();
    if (!t || t.app_id !== client.id) return { error: OAuthErrors.INVALID_GRANT.create('unknown refresh token') };
    if (t.replaced_at) return { error: OAuthErrors.INVALID_GRANT.create('the refresh token was replaced by a newer one; as it was used again, every token of this authorization is revoked'), reused: t.grant_id };
    if (t.revoked_at || t.grant_revoked_at) return { error: OAuthErrors.INVALID_GRANT.create('the refresh token is revoked') };
    if (t.expires_at && t.expires_at.getTime() <= Date.now()) return { error: OAuthErrors.INVALID_GRANT.create('the refresh token has expired') };
    if (t.state !== 'active') return { error: OAuthErrors.INVALID_GRANT.create('the user who authorized is no longer active') };
    const beyond = parseScope(p.scope).filter((s) => !t.scopes.includes(s));
    if (beyond.length) return { error: OAuthErrors.INVALID_SCOPE.create(`not granted: ${beyond.join(', ')}`) };
    await trx.updateTable('oauth_tokens').set({ replaced_at: new Date() }).where('token_hash', '=', hash).execute();
    return { tokens: await issueTokens(trx, t.grant_id, t.scopes) };
  });
  if ('reused' in out && out.reused) await revokeGrant(db, out.reused, 'replaced refresh token used again');
  if ('error' in out && out.error) throw out.error;
  return out.tokens!;
}

/**
 * RFC 7009: revokes a token of the calling client. A refresh token ends its whole grant (its access tokens
 * too, §2.1); an access token ends alone. An unknown token is not an error (§2.2).
 */
export async function revokeToken(db: Database, client: { id: number }, p: { token?: string; token_type_hint?: string }): Promise<void> {
  if (!p.token) throw OAuthErrors.INVALID_REQUEST.create({ detail: 'token is missing', field: 'token' });
  if (p.token_type_hint !== undefined && !['access_token', 'refresh_token'].includes(p.token_type_hint)) throw OAuthErrors.UNSUPPORTED_TOKEN_TYPE.create(p.token_type_hint);
  const t = await db.selectFrom('oauth_tokens as t').innerJoin('oauth_grants as g', 'g.id', 't.grant_id').select(['t.kind', 't.grant_id', 'g.app_id'])
    .where('t.token_hash', '=', sha256(p.token)).executeTakeFirst();
  if (!t) return;
  if (t.app_id !== client.id) throw OAuthErrors.UNAUTHORIZED_CLIENT.create('the token was issued to another application');
  if (t.kind === 'refresh') await revokeGrant(db, t.grant_id, 'refresh token revoked by the client');
  else await db.updateTable('oauth_tokens').set({ revoked_at: new Date() }).where('token_hash', '=', sha256(p.token)).where('revoked_at', 'is', null).execute();
}

/** Who an OAuth access token acts for, and with which scopes. */
export interface OAuthPrincipal extends Principal {
  oauth: { appId: number; grantId: number; scopes: Scope[] };
}

export function isOAuthAccessToken(bearer: string): boolean {
  return bearer.startsWith(PREFIX.access);
}

/** Resolves a bearer OAuth access token (RFC 6750): live token, live grant, approved app, active user. */
export async function resolveAccessToken(db: Database, token: string): Promise<OAuthPrincipal> {
  const r = await db.selectFrom('oauth_tokens as t').innerJoin('oauth_grants as g', 'g.id', 't.grant_id').innerJoin('oauth_apps as a', 'a.id', 'g.app_id').innerJoin('users as u', 'u.id', 'g.user_id')
    .select(['t.grant_id', 'g.app_id', 'g.scopes', 'g.account_id', 'u.id as user_id', 'u.email', 'u.roles', 'u.state', 'u.account_id as user_account_id'])
    .where('t.token_hash', '=', sha256(token)).where('t.kind', '=', 'access').where('t.revoked_at', 'is', null).where('t.expires_at', '>', new Date())
    .where('g.revoked_at', 'is', null).where('a.status', '=', 'approved')
    .executeTakeFirst();
  if (!r || r.state !== 'active' || r.user_account_id !== r.account_id) throw OAuthErrors.INVALID_TOKEN.create({ data: { wwwAuthenticate: 'Bearer error="invalid_token"' } });
  return { accountId: r.account_id, userId: r.user_id, email: r.email, roles: r.roles, tokenId: 0, oauth: { appId: r.app_id, grantId: r.grant_id, scopes: r.scopes as Scope[] } };
}
