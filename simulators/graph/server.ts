/**
 * Microsoft Graph v1.0 + Microsoft identity platform simulator: only what a user import calls, following
 * Microsoft's published contract:
 *  - token: https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow (token-route.ts)
 *  - list users: https://learn.microsoft.com/graph/api/user-list (users-route.ts)
 *  - delta: https://learn.microsoft.com/graph/api/user-delta, https://learn.microsoft.com/graph/delta-query-overview (delta-route.ts)
 *  - paging (@odata.nextLink, opaque $skiptoken): https://learn.microsoft.com/graph/paging
 *  - query parameters ($select, $top, $filter, $expand, $count + ConsistencyLevel): https://learn.microsoft.com/graph/query-parameters
 *  - throttling (429 + Retry-After, TooManyRequests): https://learn.microsoft.com/graph/throttling
 *  - errors ({error:{code, message, innerError:{date, request-id, client-request-id}}}, request-id and
 *    client-request-id headers): https://learn.microsoft.com/graph/errors
 *  - $metadata (CSDL): metadata.ts
 * Tokens, faults (503 + Retry-After, drops, expiry) and the request log come from the simulator kit.
 */
import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createSimApp } from '../kit/app.ts';
import { applyFault, type Fault } from '../kit/faults.ts';
import { requestLog, type RequestLog } from '../kit/request-log.ts';
import { TokenStore } from '../kit/tokens.ts';
import { registerDeltaRoute } from './delta-route.ts';
import { metadataXml } from './metadata.ts';
import { UserStore, type StoreOptions } from './store.ts';
import { registerTokenRoute, USER_READ_ROLES, type GraphApp } from './token-route.ts';
import { registerUsersRoute } from './users-route.ts';

export const DEFAULT_GRAPH_APP: GraphApp = { tenantId: '11111111-2222-4333-8444-555555555555', clientId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', clientSecret: 'sim~graph~secret' };

export interface GraphSimOptions extends StoreOptions {
  apps?: GraphApp[];
  tokenTtlSeconds?: number;
  /** Throttling: at most this many Graph requests per app per window (default unlimited). */
  budget?: { requests: number; windowSeconds: number };
  /** Users per delta page (Graph decides it; about 100-200 in practice). */
  deltaPageSize?: number;
  /** Delta rounds from a deltaLink send an updated user's changed properties only (user-delta allows it). */
  deltaChangedOnly?: boolean;
}

export interface GraphSimulator {
  url: string;
  store: UserStore;
  tokens: TokenStore;
  faults: Fault[];
  log: RequestLog;
  /** Answers 429 sent by the budget. */
  throttled: { count: number };
  /** Forgets every delta token, as Graph does after a while: the next deltaLink call is 410 syncStateNotFound. */
  expireDeltaTokens(): void;
  close(): Promise<void>;
}

/** What the Graph routes share: the store, the base URL, the error envelope and the bearer/throttle guard. */
export interface GraphContext {
  store: UserStore;
  base(): string;
  error(req: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string, headers?: Record<string, string>): FastifyReply;
  /** False when it answered (401, 429, an injected fault). */
  guard(req: FastifyRequest, reply: FastifyReply): Promise<boolean>;
  deltaPageSize: number;
  deltaChangedOnly: boolean;
}

export async function startGraphSimulator(o: GraphSimOptions = {}): Promise<GraphSimulator> {
  const { app, listen } = createSimApp();
  const log = requestLog(app);
  const apps = o.apps ?? [DEFAULT_GRAPH_APP];
  const tokens = new TokenStore({ accessTtlSeconds: o.tokenTtlSeconds ?? 3599 });
  const store = new UserStore(o);
  const faults: Fault[] = [];
  const throttled = { count: 0 };
  const windows = new Map<string, { start: number; used: number }>();
  let base = '';

  // Every answer carries request-id and client-request-id (the client's, or a new one): graph/errors.
  app.addHook('onRequest', async (req, reply) => {
    const rid = crypto.randomUUID();
    const crid = (req.headers['client-request-id'] as string | undefined) ?? rid;
    reply.header('request-id', rid).header('client-request-id', crid);
  });
  const error: GraphContext['error'] = (req, reply, status, code, message, headers = {}) => {
    for (const [k, v] of Object.entries(headers)) reply.header(k, v);
    return reply.status(status).send({
      error: { code, message, innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': reply.getHeader('request-id'), 'client-request-id': reply.getHeader('client-request-id') } },
    });
  };
  const guard: GraphContext['guard'] = async (req, reply) => {
    const answered = await applyFault(faults, req, reply, {
      error: (r, status, headers) => (status === 429 ? error(req, r, 429, 'TooManyRequests', 'Too many requests.', headers) : error(req, r, status, status === 503 ? 'serviceNotAvailable' : 'generalException', `The service is temporarily unavailable (${status}).`, headers)),
      unauthorized: (r) => error(req, r, 401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.', { 'www-authenticate': 'Bearer realm="", error="invalid_token"' }),
      expireTokens: () => tokens.expireAll(),
    });
    if (answered) return false;
    const t = tokens.check(req.headers.authorization);
    if (!t) {
      const empty = !req.headers.authorization;
      error(req, reply, 401, 'InvalidAuthenticationToken', empty ? 'Access token is empty.' : 'Lifetime validation failed, the token is expired.', { 'www-authenticate': 'Bearer realm="", error="invalid_token"' });
      return false;
    }
    // An app without a permission that lists users: 403 Authorization_RequestDenied (https://learn.microsoft.com/graph/errors,
    // https://learn.microsoft.com/graph/resolve-auth-errors).
    const app_ = apps.find((a) => a.clientId === t.clientId);
    if (req.url.startsWith('/v1.0/users') && app_?.roles && !app_.roles.some((r) => USER_READ_ROLES.includes(r))) {
      error(req, reply, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
      return false;
    }
    if (o.budget) {
      const now = Date.now();
      const w = windows.get(t.clientId);
      const cur = w && now - w.start < o.budget.windowSeconds * 1000 ? w : { start: now, used: 0 };
      windows.set(t.clientId, cur);
      if (cur.used >= o.budget.requests) {
        throttled.count++;
        const wait = Math.max(1, Math.ceil((cur.start + o.budget.windowSeconds * 1000 - now) / 1000));
        error(req, reply, 429, 'TooManyRequests', 'Too many requests.', { 'retry-after': String(wait) });
        return false;
      }
      cur.used++;
    }
    return true;
  };
  const ctx: GraphContext = { store, base: () => base, error, guard, deltaPageSize: o.deltaPageSize ?? 200, deltaChangedOnly: o.deltaChangedOnly ?? false };

  registerTokenRoute(app, apps, tokens);
  app.get('/v1.0/$metadata', async (req, reply) => reply.header('content-type', 'application/xml').send(metadataXml()));
  const expireDeltaTokens = registerDeltaRoute(app, ctx);
  registerUsersRoute(app, ctx);
  app.post('/_sim/faults', async (req) => {
    faults.push(req.body as Fault);
    return { queued: faults.length };
  });
  app.setNotFoundHandler((req, reply) => error(req, reply, 400, 'BadRequest', `Resource not found for the segment '${req.url.split('?')[0].split('/').pop()}'.`));

  base = await listen();
  return { url: base, store, tokens, faults, log, throttled, expireDeltaTokens, close: () => app.close() };
}
