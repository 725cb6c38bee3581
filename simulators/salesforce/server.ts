/**
 * Salesforce simulator: the org's OAuth endpoints, REST API and Bulk API 2.0, only what the connector calls,
 * following Salesforce's published contract:
 *  - REST API Developer Guide: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/
 *  - Bulk API 2.0 Developer Guide: https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/
 *  - OAuth flows: oauth-routes.ts; resources: rest-routes.ts, composite-route.ts, bulk-ingest.ts, bulk-query.ts
 *  - errors ([{ message, errorCode, fields }], 401 INVALID_SESSION_ID, 403 REQUEST_LIMIT_EXCEEDED):
 *    https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 *  - API request limits (daily total; concurrent long-running requests answer REQUEST_LIMIT_EXCEEDED too):
 *    https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_api.htm
 * Salesforce does not answer 429: it throttles with 403 REQUEST_LIMIT_EXCEEDED. An injected '429' fault
 * therefore answers that (ConcurrentPerOrgLongTxn Limit exceeded), with the fault's headers.
 * Every answer carries Sforce-Limit-Info: api-usage=used/max, as the org does.
 */
import crypto from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { createSimApp } from '../kit/app.ts';
import { applyFault, type Fault } from '../kit/faults.ts';
import { requestLog, type RequestLog } from '../kit/request-log.ts';
import { TokenStore } from '../kit/tokens.ts';
import { registerBulkIngestRoutes } from './bulk-ingest.ts';
import { registerBulkQueryRoutes } from './bulk-query.ts';
import { registerCompositeRoutes } from './composite-route.ts';
import type { SfContext } from './context.ts';
import { registerOAuthRoutes, type ConnectedApp } from './oauth-routes.ts';
import { registerRestRoutes } from './rest-routes.ts';
import { OrgStore, type StoreOptions } from './store.ts';

/** The connected app of `npm run sim -- salesforce` and of tests (redirect URIs added by options). */
export const DEFAULT_SF_APP = { clientId: '3MVG9sim.salesforce.connected.app', clientSecret: 'sim-sf-consumer-secret' };

export interface SalesforceSimOptions extends StoreOptions {
  /** Redirect URIs registered on the connected app (the hub's /api/v1/oauth/callback). */
  redirectUris?: string[];
  /** Certificate / public key of the connected app for the JWT bearer flow. */
  publicKeyPem?: string;
  apps?: ConnectedApp[];
  /** Session lifetime in seconds (orgs: 2 hours by default; tests: a few seconds). */
  sessionSeconds?: number;
  rotateRefreshTokens?: boolean;
  /** Records per query page (default 2000). */
  queryPageSize?: number;
  /** Daily API request allowance (default 100000). */
  dailyApiRequests?: number;
  bulkProcessMs?: number;
  /** Benchmarks: Bulk API ingest jobs check and count the records but do not keep them (memory). */
  discardIngest?: boolean;
}

export interface SalesforceSimulator {
  url: string;
  store: OrgStore;
  tokens: TokenStore;
  faults: Fault[];
  log: RequestLog;
  apiUsage: { used: number; max: number };
  close(): Promise<void>;
}

export async function startSalesforceSimulator(o: SalesforceSimOptions = {}): Promise<SalesforceSimulator> {
  const { app, listen } = createSimApp();
  app.addContentTypeParser(['text/csv'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  const log = requestLog(app);
  const store = new OrgStore(o);
  const tokens = new TokenStore({ accessTtlSeconds: o.sessionSeconds ?? 7200, rotateRefreshTokens: o.rotateRefreshTokens ?? false });
  const faults: Fault[] = [];
  const apiUsage = { used: 0, max: o.dailyApiRequests ?? 100_000 };
  const orgId = '00D5g000004SIMORG';
  let base = '';

  app.addHook('onRequest', async (req, reply) => {
    reply.header('sforce-request-id', crypto.randomBytes(8).toString('hex'));
    if (req.url.startsWith('/services/data/v')) reply.header('sforce-limit-info', `api-usage=${apiUsage.used}/${apiUsage.max}`);
  });

  const error: SfContext['error'] = (reply: FastifyReply, status, errorCode, message, fields) =>
    reply.status(status).header('content-type', 'application/json;charset=UTF-8').send([{ message, errorCode, ...(fields ? { fields } : {}) }]);

  const guard: SfContext['guard'] = async (req, reply) => {
    const answered = await applyFault(faults, req, reply, {
      error: (r, status, headers) => {
        for (const [k, v] of Object.entries(headers)) r.header(k, v);
        if (status === 429) return error(r, 403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.');
        return status === 503 ? error(r, 503, 'SERVER_UNAVAILABLE', 'Server is temporarily unavailable, please try again later.') : error(r, status, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred. Please include this ErrorId if you contact support: 123456789-98765 (-1)');
      },
      unauthorized: (r) => error(r, 401, 'INVALID_SESSION_ID', 'Session expired or invalid'),
      expireTokens: () => tokens.expireAll(),
    });
    if (answered) return false;
    if (!tokens.check(req.headers.authorization)) {
      error(reply, 401, 'INVALID_SESSION_ID', 'Session expired or invalid');
      return false;
    }
    if (apiUsage.used >= apiUsage.max) {
      error(reply, 403, 'REQUEST_LIMIT_EXCEEDED', `TotalRequests Limit exceeded.`);
      return false;
    }
    apiUsage.used++;
    return true;
  };

  const ctx: SfContext = { store, base: () => base, error, guard, queryPageSize: o.queryPageSize ?? 2000, bulkProcessMs: o.bulkProcessMs ?? 50, discardIngest: o.discardIngest ?? false };
  const apps = o.apps ?? [{ ...DEFAULT_SF_APP, redirectUris: o.redirectUris ?? ['http://localhost:1717/OauthRedirect'], publicKeyPem: o.publicKeyPem }];
  registerOAuthRoutes(app, { apps, tokens, store, base: () => base, rotateRefreshTokens: o.rotateRefreshTokens ?? false, orgId });
  registerRestRoutes(app, ctx, { max: apiUsage.max, used: () => apiUsage.used });
  registerCompositeRoutes(app, ctx);
  registerBulkIngestRoutes(app, ctx);
  registerBulkQueryRoutes(app, ctx);
  app.post('/_sim/faults', async (req) => {
    faults.push(req.body as Fault);
    return { queued: faults.length };
  });
  app.setNotFoundHandler((req, reply) => error(reply, 404, 'NOT_FOUND', 'The requested resource does not exist'));

  base = await listen();
  return { url: base, store, tokens, faults, log, apiUsage, close: () => app.close() };
}
