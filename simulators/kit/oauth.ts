import type { FastifyInstance, FastifyReply } from 'fastify';
import { sendOAuthError } from './envelopes.ts';
import type { TokenGrant, TokenStore } from './tokens.ts';

export interface OAuthClient {
  clientId: string;
  /** Undefined for a public client (authorization code with PKCE, no secret). */
  clientSecret?: string;
  /** Redirect URIs registered for the authorization code grant (exact match). */
  redirectUris?: string[];
}

export interface TokenEndpointOptions<C extends OAuthClient> {
  /** Default '/oauth2/token'. */
  path?: string;
  clients: C[];
  tokens: TokenStore;
  /** Grants served (default both). */
  grants?: Array<'client_credentials' | 'refresh_token' | 'authorization_code'>;
  /** Hand out a refresh token with client credentials grants too (most vendors do not). */
  refreshWithClientCredentials?: boolean;
  /** Status of an invalid_client answer: RFC 6749 §5.2 says 401; Box answers 400. */
  invalidClientStatus?: number;
  /**
   * The vendor's own checks of a client credentials request (e.g. Box's box_subject_type/id): an OAuth
   * error to answer, or the token's subject.
   */
  checkClientCredentials?(body: Record<string, string>, client: C): { error: string; description: string } | { subject?: string };
  /** Fields the vendor adds to its token answers (Box: restricted_to, issued_token_type). */
  extra?(grant: TokenGrant): Record<string, unknown>;
}

/** Client authentication: HTTP Basic or client_id/client_secret in the form (RFC 6749 §2.3.1). */
function clientCredentials(authorization: string | undefined, body: Record<string, string>): { id?: string; secret?: string } {
  const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '');
  if (basic) {
    const [id, secret] = Buffer.from(basic[1], 'base64').toString().split(':');
    return { id: decodeURIComponent(id ?? ''), secret: decodeURIComponent(secret ?? '') };
  }
  return { id: body.client_id, secret: body.client_secret };
}

/**
 * An OAuth 2.0 token endpoint: client credentials (RFC 6749 §4.4) and refresh_token (§6) with rotation and
 * invalid_grant on reuse. Needs the form parser of createSimApp.
 * @example registerTokenEndpoint(app, { clients: [{ clientId: 'c', clientSecret: 's' }], tokens });
 */
export function registerTokenEndpoint<C extends OAuthClient>(app: FastifyInstance, o: TokenEndpointOptions<C>): void {
  const grants = o.grants ?? ['client_credentials', 'refresh_token', 'authorization_code'];
  const answer = (reply: FastifyReply, g: TokenGrant) => reply.header('cache-control', 'no-store').send({ ...g, ...o.extra?.(g) });
  app.post(o.path ?? '/oauth2/token', async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, string>;
    if (!grants.includes(b.grant_type as never)) return sendOAuthError(reply, 400, 'unsupported_grant_type', 'The authorization grant type is not supported');
    const cred = clientCredentials(req.headers.authorization, b);
    const client = o.clients.find((c) => c.clientId === cred.id);
    if (!client || (client.clientSecret !== undefined && client.clientSecret !== cred.secret) || (client.clientSecret === undefined && b.grant_type === 'client_credentials')) return sendOAuthError(reply, o.invalidClientStatus ?? 401, 'invalid_client', 'The client credentials are invalid');
    if (b.grant_type === 'client_credentials') {
      const check = o.checkClientCredentials?.(b, client) ?? {};
      if ('error' in check) return sendOAuthError(reply, 400, check.error, check.description);
      return answer(reply, o.tokens.issue(client.clientId, { refresh: o.refreshWithClientCredentials, subject: check.subject, scope: b.scope }));
    }
    if (b.grant_type === 'authorization_code') {
      if (!b.code) return sendOAuthError(reply, 400, 'invalid_request', 'code is required');
      const g = o.tokens.redeemCode(b.code, client.clientId, b.redirect_uri, b.code_verifier);
      if ('error' in g) return sendOAuthError(reply, 400, g.error, g.reason);
      return answer(reply, g);
    }
    if (!b.refresh_token) return sendOAuthError(reply, 400, 'invalid_request', 'refresh_token is required');
    const g = o.tokens.refresh(b.refresh_token, client.clientId);
    if ('error' in g) return sendOAuthError(reply, 400, g.error, g.reason);
    return answer(reply, g);
  });
}

export interface AuthorizeEndpointOptions<C extends OAuthClient> {
  /** Default '/oauth2/authorize'. */
  path?: string;
  clients: C[];
  tokens: TokenStore;
  /** Refuse requests without a PKCE code_challenge (S256). */
  requirePkce?: boolean;
  /** The user who "consents" (a simulator has nobody to ask). */
  subject?: string;
  /**
   * The method of a code_challenge sent without code_challenge_method: RFC 7636 §4.3 says plain; Salesforce
   * only knows S256 (jsforce sends the S256 challenge alone).
   */
  defaultChallengeMethod?: 'S256' | 'plain';
}

/**
 * The authorization endpoint of the code grant (RFC 6749 §4.1.1, PKCE RFC 7636): consents at once and
 * redirects to the registered redirect_uri with `code` and `state`. An unknown client or redirect URI gets
 * a 400 page (never a redirect, §4.1.2.1); other errors go back to the redirect URI as `error=`.
 */
export function registerAuthorizeEndpoint<C extends OAuthClient>(app: FastifyInstance, o: AuthorizeEndpointOptions<C>): void {
  app.get(o.path ?? '/oauth2/authorize', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const client = o.clients.find((c) => c.clientId === q.client_id);
    if (!client || !q.redirect_uri || !(client.redirectUris ?? []).includes(q.redirect_uri)) return sendOAuthError(reply, 400, 'invalid_request', 'unknown client_id or redirect_uri');
    const back = new URL(q.redirect_uri);
    if (q.state !== undefined) back.searchParams.set('state', q.state);
    const method = (q.code_challenge_method ?? (q.code_challenge ? (o.defaultChallengeMethod ?? 'plain') : undefined)) as 'S256' | 'plain' | undefined;
    let error: string | undefined;
    if (q.response_type !== 'code') error = 'unsupported_response_type';
    else if ((o.requirePkce && !q.code_challenge) || (method && method !== 'S256' && method !== 'plain')) error = 'invalid_request';
    if (error) {
      back.searchParams.set('error', error);
      return reply.redirect(back.toString(), 302);
    }
    back.searchParams.set('code', o.tokens.issueCode({ clientId: client.clientId, redirectUri: q.redirect_uri, challenge: q.code_challenge, method, subject: o.subject, scope: q.scope }));
    return reply.redirect(back.toString(), 302);
  });
}
