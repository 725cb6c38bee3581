import { z } from 'zod';
import { secret } from '../define-connector.ts';
import { resolve, type AuthKind, type FromConnection } from './auth-kind.ts';
import { AuthErrors } from './errors.ts';
import { requestToken, type ClientAuthMethod } from './token-request.ts';
import { tokenSession } from './token-session.ts';

const settings = z.object({
  clientId: z.string().trim().min(1).max(512),
  /** Public clients (PKCE only) have none. */
  clientSecret: secret(z.string().min(1).max(4096)).optional(),
});
export type AuthorizationCodeSettings = z.infer<typeof settings>;

/**
 * OAuth 2.0 authorization code with PKCE (RFC 6749 §4.1, RFC 7636): an admin signs in at the vendor and grants
 * access once; the platform keeps the refresh token and renews the access token itself. Rotating refresh
 * tokens (each usable once, e.g. Salesforce with rotation on, Zoom) are stored at every renewal; renewals run
 * one at a time per connection so a token is never spent twice. `invalid_grant` marks the connection as
 * needing a new authorization.
 * @example oauth2AuthorizationCode({ authorizeUrl: (c) => `${c.orgUrl}/services/oauth2/authorize`, tokenUrl: (c) => `${c.orgUrl}/services/oauth2/token`, scopes: ['api', 'refresh_token'] })
 */
export function oauth2AuthorizationCode(o: {
  authorizeUrl: FromConnection;
  tokenUrl: FromConnection;
  scopes?: FromConnection<string[]>;
  clientAuth?: ClientAuthMethod;
  /** Vendor-specific query parameters of the sign-in page (e.g. prompt=consent). */
  extraAuthorizeParams?: Record<string, string>;
}): AuthKind<AuthorizationCodeSettings> {
  const token = (s: AuthorizationCodeSettings, connection: Record<string, unknown>, params: Record<string, string>, now: number, f?: typeof fetch) =>
    requestToken({ tokenUrl: resolve(o.tokenUrl, connection), params, clientId: s.clientId, clientSecret: s.clientSecret, clientAuth: s.clientSecret ? o.clientAuth : 'none', now, fetch: f });
  return {
    kind: 'oauth2-authorization-code',
    displayName: 'Sign in at the vendor (OAuth)',
    settings,
    interactive: true,
    open: (s, env) =>
      tokenSession(env, async (cur) => {
        if (!cur?.refreshToken) throw AuthErrors.NOT_AUTHORIZED.create();
        const next = await token(s, env.connection, { grant_type: 'refresh_token', refresh_token: cur.refreshToken }, env.now(), env.fetch);
        // A server that does not rotate sends no new refresh token: the old one stays valid.
        return { ...next, refreshToken: next.refreshToken ?? cur.refreshToken, extra: { ...cur.extra, ...next.extra } };
      }),
    authorization: {
      url: (s, connection, a) => {
        const u = new URL(resolve(o.authorizeUrl, connection));
        const scopes = o.scopes ? resolve(o.scopes, connection) : [];
        const q = { response_type: 'code', client_id: s.clientId, redirect_uri: a.redirectUri, state: a.state, code_challenge: a.codeChallenge, code_challenge_method: 'S256', ...(scopes.length ? { scope: scopes.join(' ') } : {}), ...o.extraAuthorizeParams };
        for (const [k, v] of Object.entries(q)) u.searchParams.set(k, v);
        return u.toString();
      },
      exchange: (s, env, a) => token(s, env.connection, { grant_type: 'authorization_code', code: a.code, redirect_uri: a.redirectUri, code_verifier: a.codeVerifier }, env.now(), env.fetch),
    },
  };
}
