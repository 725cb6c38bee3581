import type { FastifyReply } from 'fastify';
import { OAuthErrors, rfcError } from '../../../platform/oauth/errors.ts';
import { isDbInputError } from '../../../shared/db-input-error.ts';
import { CommonErrors, LmcError } from '../../../shared/errors.ts';
import type { Api } from '../../types.ts';

/** The token and revocation endpoints take application/x-www-form-urlencoded bodies (RFC 6749 §4.1.3, RFC 7009 §2.1). */
export function acceptForms(app: Api): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    const params = new URLSearchParams(body as string);
    const out: Record<string, string> = {};
    for (const [k, v] of params) {
      // RFC 6749 §3.2: parameters must not be included more than once.
      if (Object.hasOwn(out, k)) return done(OAuthErrors.INVALID_REQUEST.create({ detail: `${k} is repeated`, field: k }), undefined);
      out[k] = v;
    }
    done(null, out);
  });
}

/** A body as string parameters (a JSON body is read the same way, for clients that send one). */
export function params(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (body && typeof body === 'object') for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * Answers an error in RFC 6749 §5.2's shape: `{ error, error_description }`, plus this product's `error_code`;
 * 401 with WWW-Authenticate for a failed client authentication by HTTP Basic.
 */
export function sendOAuthError(reply: FastifyReply, e: unknown) {
  reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
  if (isDbInputError(e)) e = OAuthErrors.INVALID_REQUEST.create('a parameter holds a value that cannot be stored or compared (a NUL character, a too long text)');
  if (!(e instanceof LmcError) || e.status >= 500) {
    // Not the client's fault: no detail leaves the server (RFC 6749 §4.1.2.1's server_error).
    reply.log.error({ err: e }, 'oauth endpoint failed');
    return reply.status(500).send({ error: 'server_error', error_description: 'internal error', error_code: CommonErrors.INTERNAL.code });
  }
  const error = rfcError(e.code) ?? 'invalid_request';
  if (error === 'invalid_client' && e.data?.method === 'client_secret_basic') {
    // §5.2: 401 with WWW-Authenticate when the client used Basic (a form-authenticated client gets 401 too).
    reply.header('www-authenticate', 'Basic realm="lmc", charset="UTF-8"');
  }
  return reply.status(error === 'invalid_client' ? 401 : 400).send({ error, error_description: e.message, error_code: e.code });
}
