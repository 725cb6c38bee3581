/**
 * miniOrange SCIM 2.0 endpoint simulator: what the "SCIM Client (Source)" provisioning app of a miniOrange
 * tenant exposes (a SCIM Base URL and a Bearer Token shown in the app's Authorization Configuration):
 *   https://www.miniorange.com/iam/content-library/partner-portal-docs/how-to-add-scim-client-app
 * miniOrange publishes no reference of its own for this endpoint, so every call follows the SCIM 2.0 RFCs:
 *  - bearer token (RFC 6750; 401 with WWW-Authenticate): RFC 7644 §2
 *  - GET /Users: query with filter / startIndex / count / attributes, a ListResponse with totalResults,
 *    itemsPerPage, startIndex, Resources: https://datatracker.ietf.org/doc/html/rfc7644#section-3.4.2
 *  - GET /Users/{id}: RFC 7644 §3.4.1
 *  - errors: {schemas:[...:Error], status (a string), scimType, detail}: RFC 7644 §3.12
 *  - GET /Schemas, /ResourceTypes, /ServiceProviderConfig: RFC 7644 §4, RFC 7643 §5-§7 (schemas.ts)
 *  - application/scim+json: RFC 7644 §3.1
 * The base path (/moas/scim/v2 here) is the simulator's: a tenant's real base URL is the one its console shows.
 * miniOrange publishes no rate limit for it; 429 + Retry-After (RFC 6585) come from injected faults only.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createSimApp } from '../kit/app.ts';
import { applyFault, type Fault } from '../kit/faults.ts';
import { requestLog, type RequestLog } from '../kit/request-log.ts';
import { InvalidFilter, matches, parseFilter } from './filter.ts';
import { ERROR_SCHEMA, LIST_RESPONSE, resourceTypes, serviceProviderConfig, userSchemas } from './schemas.ts';
import { ScimUserStore, type ScimUser, type StoreOptions } from './store.ts';

export const SCIM_PATH = '/moas/scim/v2';
export const DEFAULT_SCIM_TOKEN = 'sim-miniorange-scim-bearer-token-0001';

export interface MiniOrangeSimOptions extends StoreOptions {
  /** The Bearer Token of the SCIM app (default DEFAULT_SCIM_TOKEN). */
  token?: string;
  /** The most users one page returns, whatever `count` asks (ServiceProviderConfig filter.maxResults). */
  maxResults?: number;
  /** Default page size when `count` is absent. */
  defaultCount?: number;
  /** false: the endpoint refuses every filter (400 invalidFilter), like SCIM servers that do not filter. */
  filtering?: boolean;
  /** false: /Schemas and /ResourceTypes answer 404 (discovery is optional for a client to rely on). */
  discovery?: boolean;
}

export interface MiniOrangeSimulator {
  /** The origin (http://127.0.0.1:port). */
  url: string;
  /** The SCIM Base URL to put in a connection's settings. */
  scimBaseUrl: string;
  token: string;
  store: ScimUserStore;
  faults: Fault[];
  log: RequestLog;
  /** Replaces the bearer token (an admin regenerating it in the console): the old one is refused from now on. */
  rotateToken(next: string): void;
  close(): Promise<void>;
}

const SCIM_JSON = 'application/scim+json';

export async function startMiniOrangeSimulator(o: MiniOrangeSimOptions = {}): Promise<MiniOrangeSimulator> {
  const { app, listen } = createSimApp();
  const log = requestLog(app);
  const store = new ScimUserStore(o);
  const faults: Fault[] = [];
  const maxResults = o.maxResults ?? 100;
  let token = o.token ?? DEFAULT_SCIM_TOKEN;
  let base = '';

  const scimError = (reply: FastifyReply, status: number, detail: string, scimType?: string, headers: Record<string, string> = {}) => {
    for (const [k, v] of Object.entries(headers)) reply.header(k, v);
    return reply.status(status).header('content-type', SCIM_JSON).send({ schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail });
  };
  const unauthorized = (reply: FastifyReply, detail: string) => scimError(reply, 401, detail, undefined, { 'www-authenticate': 'Bearer realm="miniOrange SCIM", error="invalid_token"' });
  const guard = async (req: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    const answered = await applyFault(faults, req, reply, {
      error: (r, status, headers) => scimError(r, status, status === 429 ? 'Too many requests.' : `The service is temporarily unavailable (${status}).`, undefined, headers),
      unauthorized: (r) => unauthorized(r, 'The bearer token is invalid.'),
      // A static bearer token does not expire; "expired" here means the admin regenerated it.
      expireTokens: () => {
        token = `${token}-regenerated`;
      },
    });
    if (answered) return false;
    const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (!m) {
      unauthorized(reply, 'Authorization header with a bearer token is required.');
      return false;
    }
    if (m[1] !== token) {
      unauthorized(reply, 'The bearer token is invalid.');
      return false;
    }
    return true;
  };
  const list = (resources: unknown[], total = resources.length, startIndex = 1) => ({ schemas: [LIST_RESPONSE], totalResults: total, itemsPerPage: resources.length, startIndex, Resources: resources });
  const send = (reply: FastifyReply, body: unknown) => reply.header('content-type', SCIM_JSON).send(body);

  if (o.discovery !== false) registerDiscovery();
  function registerDiscovery() {
    app.get(`${SCIM_PATH}/ServiceProviderConfig`, async (req, reply) => ((await guard(req, reply)) ? send(reply, serviceProviderConfig(base, maxResults)) : reply));
    app.get(`${SCIM_PATH}/ResourceTypes`, async (req, reply) => ((await guard(req, reply)) ? send(reply, list(resourceTypes(base))) : reply));
    app.get(`${SCIM_PATH}/Schemas`, async (req, reply) => ((await guard(req, reply)) ? send(reply, list(userSchemas(base))) : reply));
    app.get<{ Params: { id: string } }>(`${SCIM_PATH}/Schemas/:id`, async (req, reply) => {
      if (!(await guard(req, reply))) return reply;
      const s = userSchemas(base).find((x) => x.id === req.params.id);
      return s ? send(reply, s) : scimError(reply, 404, `Schema ${req.params.id} not found`);
    });
  }

  app.get(`${SCIM_PATH}/Users`, async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const q = req.query as Record<string, string | undefined>;
    // RFC 7644 §3.4.2.4: startIndex below 1 is 1; a negative count is 0; a page never exceeds maxResults.
    const startIndex = Math.max(1, parseInt(q.startIndex ?? '1', 10) || 1);
    const asked = q.count === undefined ? (o.defaultCount ?? maxResults) : parseInt(q.count, 10);
    if (Number.isNaN(asked)) return scimError(reply, 400, `count "${q.count}" is not a number`, 'invalidValue');
    const count = Math.min(Math.max(0, asked), maxResults);
    let users = store.all();
    if (q.filter !== undefined) {
      if (o.filtering === false) return scimError(reply, 400, 'Filtering is not supported.', 'invalidFilter');
      try {
        const conds = parseFilter(q.filter);
        users = users.filter((u) => matches(u as unknown as Record<string, unknown>, conds));
      } catch (e) {
        if (e instanceof InvalidFilter) return scimError(reply, 400, e.message, 'invalidFilter');
        throw e;
      }
    }
    const page = users.slice(startIndex - 1, startIndex - 1 + count).map((u) => project(u, q.attributes, q.excludedAttributes));
    return send(reply, list(page, users.length, startIndex));
  });

  app.get<{ Params: { id: string } }>(`${SCIM_PATH}/Users/:id`, async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const u = store.get(req.params.id);
    if (!u) return scimError(reply, 404, `Resource ${req.params.id} not found`);
    const q = req.query as Record<string, string | undefined>;
    return send(reply, project(u, q.attributes, q.excludedAttributes));
  });

  app.post('/_sim/faults', async (req) => {
    faults.push(req.body as Fault);
    return { queued: faults.length };
  });
  app.setNotFoundHandler((req, reply) => scimError(reply, 404, `Resource ${req.url.split('?')[0]} not found`));

  const origin = await listen();
  base = `${origin}${SCIM_PATH}`;
  store.setBase(base);
  return {
    url: origin, scimBaseUrl: base, store, faults, log,
    get token() {
      return token;
    },
    rotateToken(next) {
      token = next;
    },
    close: () => app.close(),
  };
}

/**
 * `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5): a comma list of attribute names, sub-attributes
 * (`name.givenName`) and extension attributes (`urn:...:User:manager`). `id` and `schemas` are always returned.
 * A sub-attribute keeps its whole parent attribute here (a simplification the RFC allows no client to notice
 * beyond extra values).
 */
function project(u: ScimUser, attributes?: string, excluded?: string): Record<string, unknown> {
  const src = u as unknown as Record<string, unknown>;
  const parse = (list: string) => list.split(',').map((x) => x.trim()).filter(Boolean).map((a) => {
    const m = /^(urn:.+):([^:.]+)(?:\..+)?$/.exec(a);
    return m ? (u.schemas.includes(m[1]) ? { urn: m[1], attr: m[2] } : { urn: a, attr: undefined }) : { urn: undefined, attr: a.split('.')[0] };
  });
  if (attributes) {
    const out: Record<string, unknown> = { schemas: u.schemas, id: u.id };
    for (const { urn, attr } of parse(attributes)) {
      if (urn && attr === undefined && src[urn]) out[urn] = src[urn];
      else if (urn && attr) {
        const ext = src[urn] as Record<string, unknown> | undefined;
        if (ext && attr in ext) out[urn] = { ...(out[urn] as object), [attr]: ext[attr] };
      } else if (attr) {
        const k = Object.keys(src).find((x) => x.toLowerCase() === attr.toLowerCase());
        if (k) out[k] = src[k];
      }
    }
    return out;
  }
  const out = structuredClone(src);
  if (excluded) for (const { urn, attr } of parse(excluded)) {
    if (urn && attr) delete (out[urn] as Record<string, unknown> | undefined)?.[attr];
    else if (urn) delete out[urn];
    else if (attr && attr !== 'id') delete out[attr];
  }
  return out;
}
