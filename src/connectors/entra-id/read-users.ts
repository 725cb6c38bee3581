import { z } from 'zod';
import type { HttpClient, HttpResponse } from '../../kit/http/client.ts';
import { pages, paginate } from '../../kit/paging/index.ts';
import type { RunContext } from '../../kit/run-context.ts';
import type { SourceItem, UserSourceRead } from '../../kit/user-source.ts';
import { isSyncStateLost } from './graph-errors.ts';
import { selectOf, toSourceUser, type GraphUserJson } from './user-values.ts';

/**
 * What a run keeps for the next one: Graph's deltaLink (https://learn.microsoft.com/graph/delta-query-overview),
 * and the fields it tracks (a deltaLink carries the $select of the round that made it).
 */
export const entraState = z.object({ deltaLink: z.string().url(), fields: z.array(z.string()) });
export type EntraState = z.infer<typeof entraState>;

/** Graph's largest page for /users ($top 1..999): https://learn.microsoft.com/graph/paging */
export const PAGE_SIZE = 999;
const LINK = { kind: 'link', next: '@odata.nextLink', items: 'value' } as const;

interface DeltaPage {
  value?: Array<GraphUserJson & { '@removed'?: { reason?: string } }>;
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/**
 * Reads the tenant's users for the user import.
 *
 * - No saved state (the first run, or an admin reset it): a **full read**, `GET /users` with `$select` of the
 *   fields the mapping and filters name, the manager through `$expand=manager($select=id,mail,userPrincipalName)`,
 *   pages of 999 (`complete: true`). Before it, `GET /users/delta?$deltatoken=latest` takes a deltaLink for
 *   "now" without reading any user ("sync from now", delta-query-overview): a change made during the read
 *   comes again in the next run, none is lost.
 * - A saved deltaLink: a **delta read**, only the users created, changed or removed since
 *   (`complete: false`; `@removed` users are removals; `manager@delta` gives the manager's id). The new
 *   deltaLink is kept when the run succeeds.
 * - The deltaLink is refused (410 Gone, syncStateNotFound: Graph forgets delta tokens after a while), or the
 *   mapping now names a field the deltaLink does not track: a full read again, said in the run log.
 */
export async function readEntraUsers(rc: RunContext<unknown, unknown, EntraState>, want: { fields: string[] }): Promise<UserSourceRead> {
  const http = rc.http();
  const fields = [...new Set(want.fields)];
  const saved = rc.state.current;
  if (saved) {
    const missing = fields.filter((f) => !saved.fields.includes(f));
    if (missing.length) rc.log('info', `The mapping or the filters now name fields the saved change tracking does not read (${missing.join(', ')}): reading every user again.`);
    else {
      const it = pages(http, { url: saved.deltaLink }, LINK);
      try {
        const first = await it.next();
        return { complete: false, items: deltaItems(rc, http, it, first.done ? undefined : first.value, fields) };
      } catch (e) {
        if (!isSyncStateLost(e)) throw e;
        rc.log('warn', 'Microsoft Graph no longer knows the saved change tracking (its delta token expired): reading every user again.', { vendorCode: (e as { vendorCode?: string }).vendorCode });
      }
    }
  }
  return fullRead(rc, http, fields);
}

async function fullRead(rc: RunContext<unknown, unknown, EntraState>, http: HttpClient, fields: string[]): Promise<UserSourceRead> {
  const select = selectOf(fields);
  // https://learn.microsoft.com/graph/api/user-delta ("$deltatoken=latest": a deltaLink and no users).
  const latest = await http.get<DeltaPage>('/users/delta', { query: { $select: [...select, 'manager'].join(','), $deltatoken: 'latest' } });
  const deltaLink = latest['@odata.deltaLink'];
  if (deltaLink) rc.state.stage({ deltaLink, fields });
  else rc.log('warn', 'Microsoft Graph gave no change tracking link: the next run reads every user again.');
  const wantsManager = fields.some((f) => f.startsWith('manager.'));
  // https://learn.microsoft.com/graph/api/user-list, https://learn.microsoft.com/graph/query-parameters
  const query = { $select: select.join(','), $top: PAGE_SIZE, ...(wantsManager ? { $expand: 'manager($select=id,mail,userPrincipalName)' } : {}) };
  async function* items(): AsyncGenerator<SourceItem> {
    let n = 0;
    for await (const u of paginate<GraphUserJson>(http, { path: '/users', query }, LINK, { prefetch: true })) {
      n++;
      yield toSourceUser(u, fields);
    }
    rc.log('info', `Microsoft Graph: read ${n} users (full read)`, { users: n });
  }
  return { complete: true, items: items() };
}

const INCOMPLETE = Symbol('incomplete');

/** Users of a delta round read again in full: GET /users?$filter=id in (...) (at most 15 ids per clause). */
async function* reread(http: HttpClient, partial: GraphUserJson[], fields: string[]): AsyncGenerator<SourceItem> {
  const wantsManager = fields.some((f) => f.startsWith('manager.'));
  const ids = partial.map((u) => `'${u.id.replace(/'/g, "''")}'`).join(',');
  const query = { $filter: `id in (${ids})`, $select: selectOf(fields).join(','), ...(wantsManager ? { $expand: 'manager($select=id,mail,userPrincipalName)' } : {}) };
  for await (const u of paginate<GraphUserJson>(http, { path: '/users', query }, LINK)) {
    const delta = partial.find((p) => p.id === u.id);
    const full = toSourceUser(u, fields);
    const link = delta ? toSourceUser(delta, []).managerId : undefined;
    if (link !== undefined) full.managerId = link;
    else if (wantsManager) full.managerId = (u.manager as { id?: string } | null | undefined)?.id ?? null;
    yield full;
  }
}

async function* deltaItems(rc: RunContext<unknown, unknown, EntraState>, http: HttpClient, rest: AsyncGenerator<HttpResponse<unknown>>, first: HttpResponse<unknown> | undefined, fields: string[]): AsyncGenerator<SourceItem> {
  let users = 0;
  let removed = 0;
  let deltaLink: string | undefined;
  const wantsManager = fields.some((f) => f.startsWith('manager.'));
  const top = selectOf(fields).filter((p) => p !== 'id');
  const take = function* (res: HttpResponse<unknown>): Generator<SourceItem | typeof INCOMPLETE> {
    const page = res.data as DeltaPage;
    if (page['@odata.deltaLink']) deltaLink = page['@odata.deltaLink'];
    for (const u of page.value ?? []) {
      if (u['@removed']) {
        removed++;
        yield { id: u.id, removed: true };
        continue;
      }
      users++;
      // user-delta: an updated user comes "with at least the updated properties": one lacking a mapped
      // property (or its manager link) is read again in full, so nothing unchanged is imported as empty.
      if (top.some((p) => !(p in u)) || (wantsManager && !('manager@delta' in u))) {
        pending.push(u);
        yield INCOMPLETE;
      } else yield toSourceUser(u, fields);
    }
  };
  const pending: GraphUserJson[] = [];
  for (let res = first; res; ) {
    for (const item of take(res)) if (item !== INCOMPLETE) yield item;
    // Users Graph sent with only their changed properties, read again in full (15 ids per request).
    while (pending.length) yield* reread(http, pending.splice(0, 15), fields);
    const next = await rest.next();
    res = next.done ? undefined : next.value;
  }
  const saved = rc.state.current!;
  rc.state.stage({ deltaLink: deltaLink ?? saved.deltaLink, fields: saved.fields });
  rc.log('info', `Microsoft Graph: ${users} users created or changed, ${removed} removed since the last run (delta read)`, { users, removed });
}
