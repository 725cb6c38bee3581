/**
 * GET /v1.0/users/delta: https://learn.microsoft.com/graph/api/user-delta and
 * https://learn.microsoft.com/graph/delta-query-overview. Pages carry @odata.nextLink ($skiptoken); the last
 * page carries @odata.deltaLink ($deltatoken). Calling the deltaLink returns users created or updated since,
 * and removed users as {id, @removed:{reason:'changed'|'deleted'}}. With `manager` in $select, a user's
 * manager comes as `manager@delta: [{ @odata.type, id }]` (a removed manager link as {id, @removed}
 * is not simulated). `$deltatoken=latest` answers only a deltaLink for "now" (delta-query-overview, "sync from now"). An unknown or expired token: 410 Gone with a Location header to restart with a full sync
 * (delta-query-overview, "Synchronization reset"); the code and message are those Microsoft gives for an
 * expired directory delta token, `syncStateNotFound` (https://devblogs.microsoft.com/microsoft365dev/duration-of-change-tracking-tokens-for-identity-and-education-resources;
 * that post says the status is 400 BadRequest, the overview says 410 Gone: the simulator answers 410).
 */
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { GraphContext } from './server.ts';
import type { GraphUser, Removal } from './store.ts';
import { DEFAULT_SELECT, parseSelect, project } from './users-route.ts';

interface DeltaState {
  select?: string[];
  /** Users and removals still to send in this round, and the store's change number when the round began. */
  users: readonly GraphUser[];
  removed: Removal[];
  seq: number;
  /** A round from a deltaLink (changes), not the initial one. */
  incremental?: boolean;
}

/** Registers the route; returns what forgets every delta and skip token (tests: Graph expired them, 410 next). */
export function registerDeltaRoute(app: FastifyInstance, ctx: GraphContext): () => void {
  const skipTokens = new Map<string, DeltaState>();
  const deltaTokens = new Map<string, { select?: string[]; seq: number }>();
  app.get('/v1.0/users/delta', async (req, reply) => {
    if (!(await ctx.guard(req, reply))) return reply;
    const q = req.query as Record<string, string | undefined>;
    let s: DeltaState;
    // "Sync from now": $deltatoken=latest answers no users, only a deltaLink for the current state
    // (delta-query-overview: supported for resources stored in Microsoft Entra ID, users included).
    if (q.$deltatoken === 'latest' || q.$deltaToken === 'latest') {
      const sel = parseSelect(q.$select, ['manager']);
      if (sel.unknown) return ctx.error(req, reply, 400, 'Request_BadRequest', `Could not find a property named '${sel.unknown}' on type 'microsoft.graph.user'.`);
      const token = crypto.randomBytes(24).toString('base64url');
      deltaTokens.set(token, { select: sel.select, seq: ctx.store.seq });
      return { '@odata.context': `${ctx.base()}/v1.0/$metadata#users${sel.select ? `(${sel.select.join(',')})` : ''}/delta`, '@odata.deltaLink': `${ctx.base()}/v1.0/users/delta?$deltatoken=${token}`, value: [] };
    }
    if (q.$skiptoken !== undefined || q.$deltatoken !== undefined) {
      const skip = q.$skiptoken !== undefined ? skipTokens.get(q.$skiptoken) : undefined;
      const delta = q.$deltatoken !== undefined ? deltaTokens.get(q.$deltatoken) : undefined;
      if (!skip && !delta) {
        const restart = `${ctx.base()}/v1.0/users/delta`;
        return ctx.error(req, reply, 410, 'syncStateNotFound', 'The sync state generation is not found. The delta token is expired and data must be synchronized again.', { location: restart });
      }
      if (skip) s = skip;
      else {
        const changes = ctx.store.changedSince(delta!.seq);
        s = { select: delta!.select, users: changes.users, removed: changes.removed, seq: ctx.store.seq, incremental: true };
      }
    } else {
      const sel = parseSelect(q.$select, ['manager']);
      if (sel.unknown) return ctx.error(req, reply, 400, 'Request_BadRequest', `Could not find a property named '${sel.unknown}' on type 'microsoft.graph.user'.`);
      s = { select: sel.select, users: ctx.store.all(), removed: [], seq: ctx.store.seq };
    }
    const n = ctx.deltaPageSize;
    const users = s.users.slice(0, n);
    const removed = s.removed.slice(0, Math.max(0, n - users.length));
    const rest: DeltaState = { ...s, users: s.users.slice(users.length), removed: s.removed.slice(removed.length) };
    const value: Record<string, unknown>[] = users.map((u) => {
      // user-delta: "Updated instances are represented by their id with at least the updated properties";
      // with deltaChangedOnly an updated user carries only what changed (Graph may do so), else every selected one.
      const changed = s.incremental && ctx.deltaChangedOnly ? ctx.store.changedProperties(u.id) : undefined;
      const select = changed ? (s.select ?? DEFAULT_SELECT).filter((x) => changed.has(x)) : s.select;
      const out = project(u, select?.filter((x) => x !== 'manager'));
      if ((changed ? select : s.select)?.includes('manager')) {
        const m = ctx.store.managerOf(u.id);
        out['manager@delta'] = m ? [{ '@odata.type': '#microsoft.graph.user', id: m.id }] : [];
      }
      return out;
    });
    for (const r of removed) value.push({ id: r.id, '@removed': { reason: r.reason } });
    const token = crypto.randomBytes(24).toString('base64url');
    const more = rest.users.length + rest.removed.length > 0;
    if (more) skipTokens.set(token, rest);
    else deltaTokens.set(token, { select: s.select, seq: s.seq });
    const link = more ? { '@odata.nextLink': `${ctx.base()}/v1.0/users/delta?$skiptoken=${token}` } : { '@odata.deltaLink': `${ctx.base()}/v1.0/users/delta?$deltatoken=${token}` };
    return { '@odata.context': `${ctx.base()}/v1.0/$metadata#users${s.select ? `(${s.select.join(',')})` : ''}/delta`, ...link, value };
  });
  return () => {
    skipTokens.clear();
    deltaTokens.clear();
  };
}
