/**
 * Salesforce's OAuth 2.0 endpoints (the org's My Domain is also the login host here):
 *  - GET  /services/oauth2/authorize: web server flow with PKCE
 *    https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm&type=5
 *  - POST /services/oauth2/token: authorization_code (+ code_verifier), refresh_token
 *    https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_refresh_token_flow.htm&type=5
 *    and the JWT bearer grant (RS256 assertion: iss = consumer key, sub = user name, aud = login URL, exp
 *    within 3 minutes) https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm&type=5
 *  - POST /services/oauth2/revoke https://help.salesforce.com/s/articleView?id=sf.remoteaccess_revoke_token.htm&type=5
 * Token answers carry instance_url, id, issued_at and signature but no expires_in (Salesforce does not say
 * how long a session lasts: clients learn it from a 401 INVALID_SESSION_ID). Refresh tokens are not rotated
 * unless the connected app says so (rotateRefreshTokens).
 */
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { registerAuthorizeEndpoint } from '../kit/oauth.ts';
import type { TokenGrant, TokenStore } from '../kit/tokens.ts';
import type { OrgStore } from './store.ts';

export interface ConnectedApp {
  clientId: string;
  clientSecret?: string;
  redirectUris: string[];
  /** PEM certificate or public key uploaded for the JWT bearer flow. */
  publicKeyPem?: string;
}

const oauthError = (reply: FastifyReply, status: number, error: string, description: string) =>
  reply.status(status).header('cache-control', 'no-store').send({ error, error_description: description });

export function registerOAuthRoutes(app: FastifyInstance, o: { apps: ConnectedApp[]; tokens: TokenStore; store: OrgStore; base(): string; rotateRefreshTokens: boolean; orgId: string }): void {
  registerAuthorizeEndpoint(app, { path: '/services/oauth2/authorize', clients: o.apps, tokens: o.tokens, requirePkce: true, defaultChallengeMethod: 'S256', subject: o.store.adminUsername });

  const answer = (reply: FastifyReply, g: TokenGrant, clientId: string, subject?: string, keepRefresh = true) => {
    const issuedAt = String(Date.now());
    const user = o.store.all('User').find((u) => u.Username === subject) ?? o.store.all('User')[0];
    const id = `${o.base()}/id/${o.orgId}/${user?.Id ?? ''}`;
    const signature = crypto.createHmac('sha256', clientId).update(id + issuedAt).digest('base64');
    return reply.header('cache-control', 'no-store').send({
      access_token: g.access_token,
      ...(keepRefresh && g.refresh_token ? { refresh_token: g.refresh_token } : {}),
      signature,
      scope: g.scope ?? 'api refresh_token',
      instance_url: o.base(),
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    });
  };

  app.post('/services/oauth2/token', async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, string>;
    if (b.grant_type === 'urn:ietf:params:oauth:grant-type:jwt-bearer') return jwtBearer(reply, b.assertion);
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const [bid, bsecret] = basic ? Buffer.from(basic[1], 'base64').toString().split(':').map(decodeURIComponent) : [];
    const clientId = bid ?? b.client_id;
    const secret = bsecret ?? b.client_secret;
    const client = o.apps.find((a) => a.clientId === clientId);
    if (!client) return oauthError(reply, 400, 'invalid_client_id', 'client identifier invalid');
    if (client.clientSecret !== undefined && secret !== undefined && client.clientSecret !== secret) return oauthError(reply, 400, 'invalid_client', 'invalid client credentials');
    if (b.grant_type === 'authorization_code') {
      if (!b.code) return oauthError(reply, 400, 'invalid_request', 'missing required code parameter');
      // A confidential app must send its secret unless PKCE proves the client (Salesforce's "Require Secret for Web Server Flow").
      if (client.clientSecret !== undefined && secret === undefined && !b.code_verifier) return oauthError(reply, 400, 'invalid_client', 'invalid client credentials');
      const g = o.tokens.redeemCode(b.code, client.clientId, b.redirect_uri, b.code_verifier);
      if ('error' in g) return oauthError(reply, 400, 'invalid_grant', g.reason.includes('verifier') ? 'invalid code verifier' : 'invalid authorization code');
      return answer(reply, g, client.clientId, o.store.adminUsername);
    }
    if (b.grant_type === 'refresh_token') {
      if (!b.refresh_token) return oauthError(reply, 400, 'invalid_request', 'missing required refresh_token parameter');
      const r = o.tokens.refreshTokens.get(b.refresh_token);
      const g = o.tokens.refresh(b.refresh_token, client.clientId);
      if ('error' in g) return oauthError(reply, 400, 'invalid_grant', 'expired access/refresh token');
      return answer(reply, g, client.clientId, r?.subject, o.rotateRefreshTokens);
    }
    return oauthError(reply, 400, 'unsupported_grant_type', 'grant type not supported');
  });

  function jwtBearer(reply: FastifyReply, assertion: string | undefined) {
    const parts = (assertion ?? '').split('.');
    if (parts.length !== 3) return oauthError(reply, 400, 'invalid_grant', 'invalid assertion');
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString());
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
    } catch {
      return oauthError(reply, 400, 'invalid_grant', 'invalid assertion');
    }
    const client = o.apps.find((a) => a.clientId === claims.iss);
    if (!client) return oauthError(reply, 400, 'invalid_client_id', 'client identifier invalid');
    if (header.alg !== 'RS256' || !client.publicKeyPem) return oauthError(reply, 400, 'invalid_grant', 'invalid assertion');
    const ok = crypto.verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), crypto.createPublicKey(client.publicKeyPem), Buffer.from(parts[2], 'base64url'));
    if (!ok) return oauthError(reply, 400, 'invalid_grant', 'invalid assertion');
    const audiences = [o.base(), 'https://login.salesforce.com', 'https://test.salesforce.com'];
    if (!audiences.includes(String(claims.aud))) return oauthError(reply, 400, 'invalid_grant', 'audience is invalid');
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.exp !== 'number' || claims.exp < now || claims.exp > now + 300) return oauthError(reply, 400, 'invalid_grant', 'expired authorization code');
    const user = o.store.all('User').find((u) => u.Username === claims.sub);
    if (!user || user.IsActive === false) return oauthError(reply, 400, 'invalid_grant', "user hasn't approved this consumer");
    return answer(reply, o.tokens.issue(client.clientId, { subject: String(claims.sub) }), client.clientId, String(claims.sub), false);
  }

  app.post('/services/oauth2/revoke', async (req, reply) => {
    const token = ((req.body ?? {}) as Record<string, string>).token ?? (req.query as Record<string, string>).token;
    const refresh = token ? o.tokens.refreshTokens.get(token) : undefined;
    if (refresh) {
      // Revoking a refresh token ends the sessions it gave too.
      o.tokens.refreshTokens.delete(token!);
      for (const [k, a] of o.tokens.access) if (a.clientId === refresh.clientId && a.subject === refresh.subject) o.tokens.access.delete(k);
      return reply.status(200).send();
    }
    if (token && o.tokens.access.delete(token)) return reply.status(200).send();
    return oauthError(reply, 400, 'unsupported_token_type', 'this token type is not supported');
  });
}
