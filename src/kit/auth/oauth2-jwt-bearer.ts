import crypto from 'node:crypto';
import { z } from 'zod';
import { secret } from '../define-connector.ts';
import { resolve, type AuthKind, type FromConnection } from './auth-kind.ts';
import { AuthErrors } from './errors.ts';
import { requestToken } from './token-request.ts';
import { tokenSession } from './token-session.ts';

const settings = z.object({
  clientId: z.string().trim().min(1).max(512),
  /** The user the app acts as (Salesforce: a pre-authorized user's login name). */
  username: z.string().trim().min(1).max(256),
  /** PEM private key whose certificate is uploaded to the vendor's app. */
  privateKey: secret(z.string().min(1).max(16_384)),
});
export type JwtBearerSettings = z.infer<typeof settings>;

/**
 * OAuth 2.0 JWT bearer grant (RFC 7523 §2.1): for unattended orgs, the app signs a short-lived assertion
 * (RS256) with its private key instead of keeping a refresh token (Salesforce's "OAuth 2.0 JWT Bearer Flow for
 * Server-to-Server Integration": iss = consumer key, sub = user name, aud = login URL, exp within 3 minutes).
 * @example oauth2JwtBearer({ tokenUrl: (c) => `${c.loginUrl}/services/oauth2/token`, audience: (c) => c.loginUrl })
 */
export function oauth2JwtBearer(o: { tokenUrl: FromConnection; audience: FromConnection; lifetimeSeconds?: number }): AuthKind<JwtBearerSettings> {
  return {
    kind: 'oauth2-jwt-bearer',
    displayName: 'Server-to-server certificate (JWT bearer)',
    settings,
    interactive: false,
    open: (s, env) =>
      tokenSession(env, () => {
        const now = Math.floor(env.now() / 1000);
        const assertion = signJwt(s.privateKey, { iss: s.clientId, sub: s.username, aud: resolve(o.audience, env.connection), iat: now, exp: now + (o.lifetimeSeconds ?? 180), jti: crypto.randomUUID() });
        return requestToken({ tokenUrl: resolve(o.tokenUrl, env.connection), params: { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }, now: env.now(), fetch: env.fetch });
      }),
  };
}

/** A compact JWS (RFC 7515) signed with RS256. */
export function signJwt(privateKeyPem: string, claims: Record<string, unknown>): string {
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey(privateKeyPem);
  } catch (e) {
    throw AuthErrors.BAD_KEY.create({ cause: e, field: 'privateKey' });
  }
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}`;
  return `${input}.${crypto.sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}
