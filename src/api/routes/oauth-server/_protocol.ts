import type { FastifyReply } from 'fastify';
import { OAuthErrors, rfcError } from '../../../platform/oauth/errors.ts';
import { LmcError } from '../../../shared/errors.ts';
import type { Api } from '../../types.ts';

/** The token and revocation endpoints take application/x-www-form-urlencoded bodies (RFC 6749 §4.1.3, RFC 7009 §2.1). */
export function acceptForms(app: Api): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    const params = new URLSearchParams(body as string);
    const out: Record<string, string> = {};
    for (const [k, v] of params) {
      // RFC 6749 §3.2: parameters must not be included more than once. Noted here, refused by params() so that
      // the answer has the RFC's error shape.
      if (Object.hasOwn(out, k)) out[REPEATED] = k;
      else out[k] = v;
    }
    done(null, out);
  });
}

const REPEATED = '$repeated';

/** A body as string parameters (a JSON body is read the same way, for clients that send one). */
export function params(body: unknown): Record<string, string> {
  const repeated = (body as Record<string, string> | undefined)?.[REPEATED];
  if (repeated) throw OAuthErrors.INVALID_REQUEST.create({ detail: `${repeated} is repeated`, field: repeated });
  const out: Record<string, string> = {};
  if (body && typeof body === 'object') for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * Answers an error in RFC 6749 §5.2's shape: `{ error, error_description }`, plus this product's `error_code`;
 * 401 with WWW-Authenticate for a failed client authentication by HTTP Basic.
 */
export function sendOAuthError(reply: FastifyReply, e: unknown) {
  const err = e instanceof LmcError ? e : OAuthErrors.INVALID_REQUEST.create({ detail: (e as Error)?.message ?? 'bad request' });
  if (!(e instanceof LmcError)) reply.log.warn({ err: e }, 'oauth endpoint failed');
  const error = rfcError(err.code) ?? 'invalid_request';
  let status = err.status >= 500 ? 500 : error === 'invalid_client' ? 401 : 400;
  if (error === 'invalid_client') {
    // §5.2: 401 with WWW-Authenticate when the client used Basic; a form-authenticated client may get 400 or 401.
    if (err.data?.method === 'client_secret_basic') reply.header('www-authenticate', 'Basic realm="lmc", charset="UTF-8"');
    status = 401;
  }
  return reply.status(status).header('cache-control', 'no-store').header('pragma', 'no-cache')
    .send({ error, error_description: err.message, error_code: err.code });
}
