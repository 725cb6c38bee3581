import type { AppContext } from '../app-context.ts';
import type { AuthEnv } from '../kit/auth/auth-kind.ts';
import { AuthErrors } from '../kit/auth/errors.ts';
import { pkcePair } from '../kit/auth/pkce.ts';
import type { AuthSession } from '../kit/http/auth-session.ts';
import { openConnection, type Actor } from './connections.ts';
import { ConnectionErrors } from './errors.ts';
import { decryptSecret, encryptSecret, secretKey } from './secrets.ts';
import { connectionTokenStore } from './token-store.ts';

/** How long an admin has to finish signing in at the vendor. */
const STATE_TTL_MS = 15 * 60_000;
const STATE_AAD = 'oauth-state';
export const OAUTH_CALLBACK_PATH = '/api/v1/oauth/callback';

const authSettingsOf = (settings: Record<string, unknown>) => (settings.auth ?? {}) as Record<string, unknown>;

/** The auth environment of a saved connection: its token slot, its settings, the app clock. */
export function authEnvOf(ctx: AppContext, accountId: number, connectionId: number, settings: Record<string, unknown>): AuthEnv {
  return { tokens: connectionTokenStore(ctx, accountId, connectionId), connection: settings, now: () => ctx.clock.now().getTime() };
}

/** The session a run's HTTP client signs its requests with (null for connectors without `auth`). */
export async function openConnectionAuth(ctx: AppContext, accountId: number, connectionId: number): Promise<AuthSession | null> {
  const { connector, settings } = await openConnection(ctx, accountId, connectionId);
  if (!connector.auth) return null;
  return connector.auth.open(authSettingsOf(settings), authEnvOf(ctx, accountId, connectionId, settings));
}

/**
 * Starts "Connect" for a connector whose auth kind needs an admin to sign in at the vendor: returns the
 * vendor's sign-in page. The state carries the connection, the admin and the PKCE verifier, encrypted and
 * bound to this server's key, so the callback needs no server-side session and cannot be forged or replayed
 * after it expires.
 */
export async function startAuthorization(ctx: AppContext, actor: Actor, connectionId: number): Promise<{ url: string; expiresAt: Date }> {
  const { connector, settings } = await openConnection(ctx, actor.accountId, connectionId);
  if (!connector.auth?.authorization) throw ConnectionErrors.NOT_INTERACTIVE.create({ detail: connector.displayName });
  const pkce = pkcePair();
  const expiresAt = new Date(ctx.clock.now().getTime() + STATE_TTL_MS);
  const payload = JSON.stringify({ a: actor.accountId, c: connectionId, u: actor.userId, v: pkce.verifier, e: expiresAt.getTime() });
  const state = Buffer.from(encryptSecret(secretKey(ctx.config), payload, STATE_AAD).$enc).toString('base64url');
  const url = connector.auth.authorization.url(authSettingsOf(settings), settings, { redirectUri: redirectUri(ctx), state, codeChallenge: pkce.challenge });
  return { url, expiresAt };
}

/**
 * The vendor sent the admin back: exchanges the code for tokens and stores them (a connection that needed a new
 * authorization is usable again). Returns the connection, for the redirect to its page.
 */
export async function completeAuthorization(ctx: AppContext, q: { state?: string; code?: string; error?: string; error_description?: string }): Promise<{ accountId: number; connectionId: number }> {
  let s: { a: number; c: number; u: number | null; v: string; e: number };
  try {
    s = JSON.parse(decryptSecret(secretKey(ctx.config), { $enc: Buffer.from(q.state ?? '', 'base64url').toString() }, STATE_AAD) as string);
  } catch {
    throw AuthErrors.BAD_STATE.create();
  }
  if (s.e < ctx.clock.now().getTime()) throw AuthErrors.BAD_STATE.create({ detail: 'the sign-in took longer than 15 minutes; use Connect again', data: { connectionId: s.c } });
  if (q.error) throw AuthErrors.TOKEN_REQUEST_REFUSED.create({ detail: `the vendor answered ${q.error}${q.error_description ? `: ${q.error_description.slice(0, 300)}` : ''}`, data: { connectionId: s.c } });
  if (!q.code) throw AuthErrors.BAD_STATE.create({ detail: 'the answer holds no authorization code', data: { connectionId: s.c } });
  const { connector, settings } = await openConnection(ctx, s.a, s.c);
  if (!connector.auth?.authorization) throw ConnectionErrors.NOT_INTERACTIVE.create({ detail: connector.displayName });
  const env = authEnvOf(ctx, s.a, s.c, settings);
  const tokens = await connector.auth.authorization.exchange(authSettingsOf(settings), env, { code: q.code, redirectUri: redirectUri(ctx), codeVerifier: s.v });
  await env.tokens.set({ ...tokens, obtainedAt: ctx.clock.now().getTime() });
  ctx.log.info({ accountId: s.a, connectionId: s.c, userId: s.u }, 'connection authorized at the vendor');
  return { accountId: s.a, connectionId: s.c };
}

export const redirectUri = (ctx: AppContext) => `${ctx.config.publicUrl}${OAUTH_CALLBACK_PATH}`;
