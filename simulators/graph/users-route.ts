/**
 * GET /v1.0/users: https://learn.microsoft.com/graph/api/user-list with the query parameters of
 * https://learn.microsoft.com/graph/query-parameters and server-side paging of https://learn.microsoft.com/graph/paging
 * ($top 1..999, default 100; @odata.nextLink an absolute URL with an opaque $skiptoken). Directory query
 * errors use the "Request_" codes Graph answers for directory objects (Request_BadRequest,
 * Request_UnsupportedQuery) in the envelope of https://learn.microsoft.com/graph/errors.
 */
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { USER_PROPERTIES } from './metadata.ts';
import type { GraphContext } from './server.ts';
import type { GraphUser } from './store.ts';

/** Properties returned without $select (user-list: "a default set of properties"). */
export const DEFAULT_SELECT = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'];

/** The $select list, or the name of the first unknown property. */
export function parseSelect(raw: string | undefined, extra: string[] = []): { select?: string[]; unknown?: string } {
  if (raw === undefined) return {};
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.find((n) => !(n in USER_PROPERTIES) && !extra.includes(n));
  return unknown ? { unknown } : { select: names };
}

/** Only the selected properties, plus id (Graph always returns it). */
export function project(u: GraphUser, select: string[] | undefined): Record<string, unknown> {
  const names = select ?? DEFAULT_SELECT;
  const all = { businessPhones: [], mobilePhone: null, preferredLanguage: null, ...u } as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const n of names) if (n in all) out[n] = all[n];
  out.id = u.id;
  return out;
}

interface ListState {
  select?: string[];
  filter?: string;
  top: number;
  managerSelect?: string[];
  count: boolean;
  offset: number;
}

/** `$expand=manager` or `manager($select=a,b)`: the manager's selected properties, or an error. */
function parseExpand(raw: string | undefined): { managerSelect?: string[]; expand: boolean; error?: string } {
  if (raw === undefined) return { expand: false };
  const m = /^manager(?:\(\$select=([\w,]+)\))?$/.exec(raw.trim());
  if (!m) return { expand: false, error: `Parsing OData Select and Expand failed: Could not find a property named '${raw}' on type 'microsoft.graph.user'.` };
  const sel = m[1] ? parseSelect(m[1]) : {};
  if (sel.unknown) return { expand: false, error: `Could not find a property named '${sel.unknown}' on type 'microsoft.graph.directoryObject'.` };
  return { expand: true, managerSelect: sel.select ?? ['id', 'displayName', 'mail', 'userPrincipalName'] };
}

/** `id in ('a','b')` (https://learn.microsoft.com/graph/filter-query-parameter#in-operator): the ids, else undefined. */
function idsIn(filter: string): string[] | undefined {
  const m = /^id in \(((?:\s*'[^']*'\s*,?)+)\)$/.exec(filter);
  return m ? [...m[1].matchAll(/'([^']*)'/g)].map((x) => x[1]) : undefined;
}

export function registerUsersRoute(app: FastifyInstance, ctx: GraphContext): void {
  // Opaque $skiptoken -> where the read stands (Graph's tokens are opaque; clients must use the link as is).
  const skipTokens = new Map<string, ListState>();
  app.get('/v1.0/users', async (req, reply) => {
    if (!(await ctx.guard(req, reply))) return reply;
    const q = req.query as Record<string, string | undefined>;
    let s: ListState;
    if (q.$skiptoken !== undefined) {
      const found = skipTokens.get(q.$skiptoken);
      if (!found) return ctx.error(req, reply, 400, 'Request_BadRequest', `'$skiptoken' is invalid.`);
      s = found;
    } else {
      const sel = parseSelect(q.$select);
      if (sel.unknown) return ctx.error(req, reply, 400, 'Request_BadRequest', `Could not find a property named '${sel.unknown}' on type 'microsoft.graph.user'.`);
      const top = q.$top === undefined ? 100 : Number(q.$top);
      if (!Number.isInteger(top) || top < 1 || top > 999) return ctx.error(req, reply, 400, 'Request_BadRequest', `Invalid page size specified: '${q.$top}'. Must be between 1 and 999 inclusive.`);
      const filter = q.$filter?.trim();
      const ids = filter !== undefined ? idsIn(filter) : undefined;
      if (filter !== undefined && !ids && !/^accountEnabled eq (true|false)$/.test(filter)) return ctx.error(req, reply, 400, 'Request_UnsupportedQuery', 'Unsupported Query.');
      // A filter clause holds at most 15 expressions (https://learn.microsoft.com/graph/filter-query-parameter).
      if (ids && ids.length > 15) return ctx.error(req, reply, 400, 'Request_UnsupportedQuery', 'Too many child clauses specified in search filter expression containing \'OR\' operators: 16. Max allowed: 15.');
      const ex = parseExpand(q.$expand);
      if (ex.error) return ctx.error(req, reply, 400, 'Request_BadRequest', ex.error);
      const count = q.$count === 'true';
      // $count on directory objects is an advanced query: it needs ConsistencyLevel: eventual.
      if (count && req.headers.consistencylevel !== 'eventual') return ctx.error(req, reply, 400, 'Request_BadRequest', '$count is not currently supported.');
      s = { select: sel.select, filter, top, managerSelect: ex.expand ? ex.managerSelect : undefined, count, offset: 0 };
    }
    const wanted = s.filter ? idsIn(s.filter) : undefined;
    const enabled = s.filter && !wanted ? s.filter.endsWith('true') : undefined;
    const matching = wanted
      ? wanted.flatMap((id) => ctx.store.get(id) ?? [])
      : enabled === undefined
        ? ctx.store.all()
        : ctx.store.all().filter((u) => u.accountEnabled === enabled);
    const page = matching.slice(s.offset, s.offset + s.top).map((u) => {
      const out = project(u, s.select);
      if (s.managerSelect) {
        const m = ctx.store.managerOf(u.id);
        out.manager = m ? { '@odata.type': '#microsoft.graph.user', ...project(m, s.managerSelect) } : null;
      }
      return out;
    });
    let nextLink: string | undefined;
    if (s.offset + s.top < matching.length) {
      const token = crypto.randomBytes(24).toString('base64url');
      skipTokens.set(token, { ...s, offset: s.offset + s.top });
      nextLink = `${ctx.base()}/v1.0/users?$skiptoken=${token}`;
    }
    const selectPart = s.select ? `(${s.select.join(',')})` : '';
    return {
      '@odata.context': `${ctx.base()}/v1.0/$metadata#users${selectPart}`,
      ...(s.count ? { '@odata.count': matching.length } : {}),
      ...(nextLink ? { '@odata.nextLink': nextLink } : {}),
      value: page,
    };
  });
}
