/**
 * Reads a miniOrange tenant's users for the shared user import (kit/user-source.ts) through its SCIM 2.0
 * endpoint (RFC 7644 §3.4.2):
 *  - full read: every user, page by page (complete: true: users absent from it are kept, suspended or
 *    deleted as the admin chose);
 *  - incremental read (a schedule after a full read): `filter=meta.lastModified gt "<last change seen, less a
 *    margin>"`, the changed users only (complete: false). SCIM reports no deletions, so a full read is made
 *    again every `fullReadEveryHours`; an endpoint that refuses the filter (400 invalidFilter, or 501) is read
 *    in full, and the run log says so;
 *  - `active: false` users are reported removed (the admin's choice for absent users applies to them);
 *  - the enterprise extension's manager is an id: it becomes SourceUser.managerId;
 *  - a resource without userName is rejected under its id (RFC 7643 §4.1.1 makes userName required).
 */
import { z } from 'zod';
import { HttpError } from '../../kit/http/http-error.ts';
import type { RunContext } from '../../kit/run-context.ts';
import type { SourceItem, UserSourceRead } from '../../kit/user-source.ts';
import { parseFieldPath, readField, requestedAttribute, type FieldPath } from './field-paths.ts';
import { userPages, type ListResponse } from './scim-client.ts';
import { ENTERPRISE_USER, MANAGER_BY_ID_FIELD } from './schema-fields.ts';
import type { MiniOrangeSettings } from './settings.ts';

export const LABEL = 'miniOrange';

/** Where the last successful import left off (kept by the engine only when a run succeeds). */
export const miniOrangeState = z.object({
  /** The newest meta.lastModified seen (the tenant's clock, not ours). */
  lastModified: z.string().nullable(),
  /** When the last full read started. */
  fullReadAt: z.string(),
});
export type MiniOrangeState = z.infer<typeof miniOrangeState>;

/** Changes stamped just before the previous read ended may become visible late: read a little before. */
export const OVERLAP_MS = 2 * 60_000;

type Rc = RunContext<MiniOrangeSettings, unknown, MiniOrangeState>;
type Page = { data: ListResponse };

export async function readMiniOrangeUsers(rc: Rc, want: { fields: string[] }): Promise<UserSourceRead> {
  // The run's own "now" (the app clock when it started): when the last full read is due.
  const now = rc.window.until;
  const s = rc.state.current;
  const paths = new Map<string, FieldPath>();
  for (const f of want.fields) {
    if (f === MANAGER_BY_ID_FIELD) continue; // always empty: the manager travels as managerId
    const p = parseFieldPath(f);
    if (p) paths.set(f, p);
    else rc.log('warn', `miniOrange: "${f}" is not a SCIM attribute path; it stays empty`);
  }
  // Only what the mapping and filters need, plus what the import itself reads (RFC 7644 §3.4.2.5).
  const attributes = want.fields.length
    ? [...new Set(['userName', 'active', 'meta', `${ENTERPRISE_USER}:manager`, ...[...paths.values()].map(requestedAttribute)])]
    : undefined;
  const fullDue = !s || now.getTime() - Date.parse(s.fullReadAt) >= rc.connection.settings.fullReadEveryHours * 3_600_000;

  let complete = true;
  let it: AsyncGenerator<Page>;
  let first: IteratorResult<Page> | undefined;
  if (!fullDue && s?.lastModified) {
    const since = new Date(Date.parse(s.lastModified) - OVERLAP_MS).toISOString();
    it = userPages(rc.http(), { filter: `meta.lastModified gt "${since}"`, attributes, signal: rc.signal });
    try {
      first = await it.next();
      complete = false;
      rc.log('info', `miniOrange: reading the users changed since ${since}`, { since });
    } catch (e) {
      // Filtering on meta.lastModified is optional in SCIM (RFC 7644 §3.4.2.2): read everything instead.
      if (!(e instanceof HttpError && (e.httpStatus === 400 || e.httpStatus === 501))) throw e;
      rc.log('warn', 'miniOrange: the SCIM endpoint does not filter on the last-modified time; reading every user', { vendorCode: e.vendorCode });
      first = undefined;
    }
  }
  if (complete) {
    it = userPages(rc.http(), { attributes, signal: rc.signal });
    first = await it.next();
    rc.log('info', 'miniOrange: reading every user');
  }
  let newest = s?.lastModified ?? null;
  const fullReadAt = complete ? now.toISOString() : s!.fullReadAt;

  async function* items(): AsyncGenerator<SourceItem> {
    let total: number | undefined;
    let seen = 0;
    for (let page = first!; !page.done; page = await it.next()) {
      total = page.value.data.totalResults;
      for (const raw of page.value.data.Resources ?? []) {
        seen++;
        const r = raw as Record<string, unknown>;
        const id = typeof r.id === 'string' && r.id ? r.id : undefined;
        if (!id) {
          await rc.reject({ source: LABEL, recordId: `#${seen}`, field: 'id', reason: 'a user without an id in the SCIM answer' });
          continue;
        }
        const lm = (r.meta as { lastModified?: unknown } | undefined)?.lastModified;
        if (typeof lm === 'string' && !Number.isNaN(Date.parse(lm)) && (!newest || Date.parse(lm) > Date.parse(newest))) newest = lm;
        if (r.active === false) {
          yield { id, removed: true };
          continue;
        }
        if (typeof r.userName !== 'string' || !r.userName.trim()) {
          await rc.reject({ source: LABEL, recordId: id, field: 'userName', reason: 'the user has no userName (SCIM requires one)' });
          continue;
        }
        const values: Record<string, string | number | boolean | null> = {};
        for (const [name, p] of paths) {
          const v = readField(r, p);
          if (v !== undefined) values[name] = v;
        }
        const managerId = readField(r, { urn: ENTERPRISE_USER, attr: 'manager', sub: 'value' });
        yield { id, values, ...(typeof managerId === 'string' && managerId ? { managerId } : {}) };
      }
      rc.progress(seen, total, 'reading miniOrange users');
    }
    rc.state.stage({ lastModified: newest, fullReadAt });
  }
  return { complete, items: items() };
}
