import crypto from 'node:crypto';

export interface TokenGrant {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token?: string;
  scope?: string;
}

interface Access {
  clientId: string;
  subject?: string;
  expiresAt: number;
}

interface Code {
  clientId: string;
  redirectUri: string;
  challenge?: string;
  method?: 'S256' | 'plain';
  subject?: string;
  scope?: string;
  expiresAt: number;
}

interface Refresh {
  clientId: string;
  subject?: string;
  expiresAt: number;
  used: boolean;
}

export interface TokenStoreOptions {
  /** Access token lifetime (vendors: about an hour; tests: seconds). */
  accessTtlSeconds?: number;
  refreshTtlSeconds?: number;
  /** Each refresh token is usable once and a refresh hands a new one (RFC 9700 §4.14.2). Default true. */
  rotateRefreshTokens?: boolean;
}

/**
 * Access and refresh tokens of a simulator: issue, check a bearer, expire them all, refresh with rotation.
 * @example const tokens = new TokenStore({ accessTtlSeconds: 5 }); tokens.issue('client-1', { refresh: true });
 */
export class TokenStore {
  readonly access = new Map<string, Access>();
  readonly refreshTokens = new Map<string, Refresh>();
  readonly codes = new Map<string, Code>();
  /** Access tokens issued so far (tests compare it before and after a run). */
  issued = 0;
  /** Refresh tokens presented a second time (a client that burnt a rotating token). */
  reusedRefreshTokens = 0;

  constructor(readonly opts: TokenStoreOptions = {}) {}

  issue(clientId: string, o: { refresh?: boolean; subject?: string; scope?: string } = {}): TokenGrant {
    const ttl = this.opts.accessTtlSeconds ?? 3600;
    const token = crypto.randomBytes(24).toString('hex');
    this.access.set(token, { clientId, subject: o.subject, expiresAt: Date.now() + ttl * 1000 });
    this.issued++;
    const grant: TokenGrant = { access_token: token, token_type: 'Bearer', expires_in: ttl, ...(o.scope ? { scope: o.scope } : {}) };
    if (o.refresh) {
      const rt = crypto.randomBytes(24).toString('hex');
      this.refreshTokens.set(rt, { clientId, subject: o.subject, expiresAt: Date.now() + (this.opts.refreshTtlSeconds ?? 90 * 24 * 3600) * 1000, used: false });
      grant.refresh_token = rt;
    }
    return grant;
  }

  /** The grant for a refresh token, or why not ('invalid_grant' for unknown, expired, reused or another client's). */
  refresh(refreshToken: string, clientId: string): TokenGrant | { error: 'invalid_grant'; reason: string } {
    const r = this.refreshTokens.get(refreshToken);
    if (!r || r.clientId !== clientId) return { error: 'invalid_grant', reason: 'The refresh token is invalid' };
    if (r.expiresAt <= Date.now()) return { error: 'invalid_grant', reason: 'The refresh token has expired' };
    const rotate = this.opts.rotateRefreshTokens ?? true;
    if (rotate && r.used) {
      this.reusedRefreshTokens++;
      return { error: 'invalid_grant', reason: 'The refresh token was already used' };
    }
    if (rotate) r.used = true;
    const grant = this.issue(clientId, { refresh: rotate, subject: r.subject });
    if (!rotate) grant.refresh_token = refreshToken;
    return grant;
  }

  /** An authorization code (RFC 6749 §4.1.2): single use, 60 s, bound to the client, redirect URI and PKCE challenge. */
  issueCode(c: Omit<Code, 'expiresAt'>): string {
    const code = crypto.randomBytes(16).toString('hex');
    this.codes.set(code, { ...c, expiresAt: Date.now() + 60_000 });
    return code;
  }

  /** Exchanges a code for tokens (with a refresh token), checking the redirect URI and the PKCE verifier (RFC 7636 §4.6). */
  redeemCode(code: string, clientId: string, redirectUri: string | undefined, verifier: string | undefined): TokenGrant | { error: 'invalid_grant'; reason: string } {
    const c = this.codes.get(code);
    this.codes.delete(code);
    if (!c || c.clientId !== clientId || c.expiresAt <= Date.now()) return { error: 'invalid_grant', reason: 'The authorization code is invalid, used or expired' };
    if (c.redirectUri !== redirectUri) return { error: 'invalid_grant', reason: 'redirect_uri does not match the authorization request' };
    if (c.challenge) {
      const computed = c.method === 'plain' ? verifier : verifier && crypto.createHash('sha256').update(verifier).digest('base64url');
      if (!computed || computed !== c.challenge) return { error: 'invalid_grant', reason: 'The code verifier does not match the code challenge' };
    }
    return this.issue(clientId, { refresh: true, subject: c.subject, scope: c.scope });
  }

  /** The token's owner when `authorization` is a valid, unexpired bearer token. */
  check(authorization: string | undefined): Access | undefined {
    const t = this.access.get((authorization ?? '').replace(/^Bearer\s+/i, ''));
    return t && t.expiresAt > Date.now() ? t : undefined;
  }

  /** Every access token expires now (the next call with one gets 401). */
  expireAll(): void {
    for (const t of this.access.values()) t.expiresAt = 0;
  }
}
