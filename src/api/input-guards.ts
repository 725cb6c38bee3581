import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { CommonErrors, type LmcError } from '../shared/errors.ts';
import { HttpErrors } from './errors.ts';
import type { Api } from './types.ts';

/**
 * Node's limit on the size of all request headers (its default, stated here so the answer and the docs
 * agree): a larger request gets a 431 in the product's error format (see clientErrorHandler).
 */
export const MAX_HEADER_BYTES = 16 * 1024;

/** Longest path parameter the router accepts (ids, emails, report names); longer ones are a 400. */
export const MAX_PARAM_LENGTH = 512;

/**
 * The server's answer to a request it could not even parse (too-large headers, broken HTTP, slow client):
 * the product's `{ error: { code, message } }` instead of fastify's default body. Passed to Fastify as
 * `clientErrorHandler`.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const e: LmcError =
    err.code === 'HPE_HEADER_OVERFLOW' ? HttpErrors.HEADERS_TOO_LARGE.create()
    : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? HttpErrors.REQUEST_TIMEOUT.create()
    : HttpErrors.MALFORMED_REQUEST.create();
  const body = JSON.stringify({ error: e.toJSON() });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${e.status} ${http.STATUS_CODES[e.status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}

/**
 * Fastify's answers before routing (a broken %-escape in the path, a path parameter over MAX_PARAM_LENGTH)
 * in the product's format. Passed to Fastify as `frameworkErrors`.
 */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  const e =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? CommonErrors.VALIDATION.create({ field: 'path', detail: `path: a part of the path is longer than ${MAX_PARAM_LENGTH} characters` })
    : err.code === 'FST_ERR_BAD_URL' ? CommonErrors.VALIDATION.create({ field: 'path', detail: 'path: not a valid URL (a broken %-escape)' })
    : CommonErrors.VALIDATION.create(err.message);
  void reply.status(e.status).send({ error: e.toJSON() });
}

/** Where a NUL hides in a parsed JSON value: the dotted path of the first one, or undefined. */
function findNul(v: unknown, at: string): string | undefined {
  if (typeof v === 'string') return v.includes('\u0000') ? at : undefined;
  if (v === null || typeof v !== 'object') return undefined;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const hit = findNul(v[i], `${at}.${i}`);
      if (hit) return hit;
    }
    return undefined;
  }
  for (const [k, x] of Object.entries(v)) {
    if (k.includes('\u0000')) return `${at}.${k.replace(/\u0000/g, '\\u0000')}`;
    const hit = findNul(x, `${at}.${k}`);
    if (hit) return hit;
  }
  return undefined;
}

const nulError = (field: string) =>
  CommonErrors.VALIDATION.create({ field, detail: `${field}: contains a NUL character (\\u0000 or %00), which no text value may hold` });

/**
 * One place that keeps NUL characters out of the product: PostgreSQL text and jsonb cannot store them, so
 * without this check they surfaced as a 500 from the database. Paths and queries are checked on the raw
 * URL (a `%00` or a raw NUL), JSON bodies after parsing (before the route's schema runs).
 */
export function installInputGuards(app: Api): void {
  app.addHook('onRequest', async (req) => {
    const url = req.raw.url ?? '';
    const at = url.search(/%00|\u0000/);
    if (at < 0) return;
    const q = url.indexOf('?');
    if (q < 0 || at < q) throw nulError('path');
    const pair = url.slice(q + 1).split('&').find((p) => /%00|\u0000/.test(p)) ?? '';
    let key = pair.split('=')[0];
    try {
      key = decodeURIComponent(key.replace(/\+/g, ' '));
    } catch {
      // a broken escape elsewhere in the key: name it as sent
    }
    key = key.replace(/\u0000/g, '\\u0000');
    throw nulError(`querystring.${key}`);
  });
  app.addHook('preValidation', async (req) => {
    if (req.body === null || typeof req.body !== 'object' || Buffer.isBuffer(req.body) || typeof (req.body as { pipe?: unknown }).pipe === 'function') return;
    const hit = findNul(req.body, 'body');
    if (hit) throw nulError(hit);
  });
}
