import type { FastifyInstance, FastifyReply } from 'fastify';
import { sendOAuthError } from './envelopes.ts';
import type { TokenGrant, TokenStore } from './tokens.ts';

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface TokenEndpointOptions<C extends OAuthClient> {
  /** Default '/oauth2/token'. */
  path?: string;
  clients: C[];
  tokens: TokenStore;
  /** Grants served (default both). */
  grants?: Array<'client_credentials' | 'refresh_token'>;
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
  const grants = o.grants ?? ['client_credentials', 'refresh_token'];
  const answer = (reply: FastifyReply, g: TokenGrant) => reply.header('cache-control', 'no-store').send({ ...g, ...o.extra?.(g) });
  app.post(o.path ?? '/oauth2/token', async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, string>;
    if (!grants.includes(b.grant_type as never)) return sendOAuthError(reply, 400, 'unsupported_grant_type', 'The authorization grant type is not supported');
    const cred = clientCredentials(req.headers.authorization, b);
    const client = o.clients.find((c) => c.clientId === cred.id);
    if (!client || client.clientSecret !== cred.secret) return sendOAuthError(reply, o.invalidClientStatus ?? 401, 'invalid_client', 'The client credentials are invalid');
    if (b.grant_type === 'client_credentials') {
      const check = o.checkClientCredentials?.(b, client) ?? {};
      if ('error' in check) return sendOAuthError(reply, 400, check.error, check.description);
      return answer(reply, o.tokens.issue(client.clientId, { refresh: o.refreshWithClientCredentials, subject: check.subject, scope: b.scope }));
    }
    if (!b.refresh_token) return sendOAuthError(reply, 400, 'invalid_request', 'refresh_token is required');
    const g = o.tokens.refresh(b.refresh_token, client.clientId);
    if ('error' in g) return sendOAuthError(reply, 400, g.error, g.reason);
    return answer(reply, g);
  });
}
