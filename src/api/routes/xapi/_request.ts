import type { FastifyReply, FastifyRequest } from 'fastify';
import { maintenanceRun } from '../../../engine/maintenance.ts';
import { authenticateLrs, type LrsPrincipal, type LrsScope } from '../../../lrs/credentials.ts';
import { LrsErrors } from '../../../lrs/errors.ts';
import { parseVersionHeader, XAPI_VERSIONS, type XapiVersion } from '../../../lrs/version.ts';
import { CommonErrors } from '../../../shared/errors.ts';
import type { Api } from '../../types.ts';

/**
 * One xAPI request after the protocol layer: the effective method, parameters, headers and body, whether
 * it came through the alternate request syntax (Communication 1.3), the version and the principal.
 */
export interface XapiCall {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  params: Map<string, string>;
  headers: Record<string, string | undefined>;
  body: Buffer;
  contentType: string;
  version: XapiVersion;
  principal: LrsPrincipal;
  /**
   * The maintenance check ("disable access" imports): rejects with 503 while one runs. Awaited before the
   * handler runs, except for reads of resources that run it alongside their query (see `alongside`).
   */
  maintenance: Promise<void>;
}

const ALT_HEADERS = ['authorization', 'x-experience-api-version', 'content-type', 'content-length', 'if-match', 'if-none-match'];

/** Parses the query string keeping every key as sent (the LRS rejects unknown and wrongly cased ones). */
function queryParams(url: string): Map<string, string> {
  const m = new Map<string, string>();
  const i = url.indexOf('?');
  if (i < 0) return m;
  for (const [k, v] of new URLSearchParams(url.slice(i + 1))) {
    if (m.has(k)) throw LrsErrors.BAD_REQUEST.create({ detail: `parameter ${k} is given twice`, field: k });
    m.set(k, v);
  }
  return m;
}

const headerOf = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Resolves the xAPI call of a request: alternate syntax (POST ?method=X with a form body; 1.0.x only),
 * Basic auth against the account's LRS keys, the version header, and the scope the method needs.
 */
export async function xapiCall(app: Api, req: FastifyRequest, reply: FastifyReply, opts: { readsCheckMaintenanceAlongside?: boolean } = {}): Promise<XapiCall> {
  let params = queryParams(req.url);
  let method = req.method as XapiCall['method'];
  const headers: Record<string, string | undefined> = {};
  for (const h of Object.keys(req.headers)) headers[h] = headerOf(req, h);
  let body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  let contentType = headers['content-type'] ?? '';
  if (params.has('method')) {
    const versionHint = headers['x-experience-api-version'];
    const alt = params.get('method')!.toUpperCase();
    if (method !== 'POST') throw LrsErrors.BAD_REQUEST.create({ detail: 'the alternate request syntax is POST with ?method=', field: 'method' });
    if (params.size > 1) throw LrsErrors.BAD_REQUEST.create({ detail: 'with the alternate request syntax, parameters go in the form body', field: 'method' });
    if (!['GET', 'PUT', 'POST', 'DELETE', 'HEAD'].includes(alt)) throw LrsErrors.BAD_REQUEST.create({ detail: `unknown method ${alt}`, field: 'method' });
    if (!/^application\/x-www-form-urlencoded/i.test(contentType)) throw LrsErrors.BAD_REQUEST.create({ detail: 'the alternate request syntax needs an application/x-www-form-urlencoded body', field: 'content-type' });
    const form = new URLSearchParams(body.toString('utf8'));
    params = new Map();
    // Headers come from the form now; the request's own Content-Type described the form.
    delete headers['content-type'];
    delete headers['content-length'];
    let content: string | undefined;
    for (const [k, v] of form) {
      const lk = k.toLowerCase();
      if (ALT_HEADERS.includes(lk)) headers[lk] = v;
      else if (k === 'content') content = v;
      else params.set(k, v);
    }
    // xAPI 2.0 removed the alternate request syntax; the version is read from the form or the header.
    const v = headers['x-experience-api-version'] ?? versionHint;
    if (v && /^2\./.test(v)) throw LrsErrors.BAD_REQUEST.create({ detail: 'xAPI 2.0 has no alternate request syntax', field: 'method' });
    if ((alt === 'PUT' || alt === 'POST') && content === undefined) {
      throw LrsErrors.BAD_REQUEST.create({ detail: 'the alternate request syntax sends the body as the form field "content"', field: 'content' });
    }
    method = alt as XapiCall['method'];
    body = Buffer.from(content ?? '', 'utf8');
    contentType = headers['content-type'] ?? (content !== undefined ? 'application/json' : '');
  }
  const principal = await authenticateLrs(app.ctx.db, headers.authorization);
  // A request that names no (or no known) version is refused; the answer reports the key's version, so a
  // key set to 1.0.3 answers as a 1.0.3 LRS would (XAPI-00331 of each version's conformance suite).
  reply.header('X-Experience-API-Version', principal.version ?? XAPI_VERSIONS[0]);
  const version = parseVersionHeader(headers['x-experience-api-version']);
  reply.header('X-Experience-API-Version', version);
  const needs: LrsScope = method === 'GET' || method === 'HEAD' ? 'read' : 'write';
  if (!principal.scopes.includes(needs)) throw LrsErrors.SCOPE.create(`needs the ${needs} scope`);
  // "Disable access during execution" (the engine's maintenance follows the run's status and lease).
  const maintenance = maintenanceRun(app.ctx, principal.accountId).then((m) => {
    if (m) throw CommonErrors.MAINTENANCE.create({ detail: `run #${m.runId}`, data: { runId: m.runId, retryAfterSeconds: m.retryAfterSeconds } });
  });
  // A read that answers only after both settle can run the check alongside its query: one round trip to
  // PostgreSQL less to wait for, which is what a query waits on when ingest keeps the API process busy
  // (docs/lrs.md, "Queries during ingest"). Writes always wait for it: nothing is written in maintenance.
  if (needs === 'read' && opts.readsCheckMaintenanceAlongside) maintenance.catch(() => undefined);
  else await maintenance;
  return { method, params, headers, body, contentType, version, principal, maintenance };
}

/** Runs a read alongside the call's maintenance check; maintenance (503) wins over the read's own errors. */
export async function alongside<T>(call: XapiCall, read: Promise<T>): Promise<T> {
  const [m, r] = await Promise.allSettled([call.maintenance, read]);
  if (m.status === 'rejected') throw m.reason;
  if (r.status === 'rejected') throw r.reason;
  return r.value;
}

/** Rejects parameters this resource and method do not define (Communication 3.2: 400 for unknown ones). */
export function allowParams(call: XapiCall, allowed: string[]): void {
  for (const k of call.params.keys()) {
    if (!allowed.includes(k)) throw LrsErrors.BAD_REQUEST.create({ detail: `unknown parameter "${k}" for ${call.method}`, field: k });
  }
}

/** A required parameter. */
export function required(call: XapiCall, name: string): string {
  const v = call.params.get(name);
  if (v === undefined) throw LrsErrors.BAD_REQUEST.create({ detail: `parameter "${name}" is required`, field: name });
  return v;
}

/** A JSON parameter (agent=...). */
export function jsonParam(call: XapiCall, name: string): unknown {
  const v = call.params.get(name);
  if (v === undefined) return undefined;
  try {
    return JSON.parse(v);
  } catch {
    throw LrsErrors.BAD_REQUEST.create({ detail: `parameter "${name}" is not JSON`, field: name });
  }
}

export function boolParam(call: XapiCall, name: string): boolean | undefined {
  const v = call.params.get(name);
  if (v === undefined) return undefined;
  if (v !== 'true' && v !== 'false') throw LrsErrors.BAD_REQUEST.create({ detail: `parameter "${name}" must be true or false`, field: name });
  return v === 'true';
}
