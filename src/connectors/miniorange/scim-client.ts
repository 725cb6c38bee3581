/**
 * The SCIM 2.0 calls the connector makes (RFC 7644), through the kit's HTTP client (retries, 429 with
 * Retry-After, limits, counters): list users page by page (§3.4.2: startIndex is 1-based, the server may
 * return fewer than `count`, totalResults counts every match), and the error envelope (§3.12).
 */
import { z } from 'zod';
import { verdictOfStatus, type Classifier } from '../../kit/http/classify.ts';
import type { HttpClient } from '../../kit/http/client.ts';
import { pages } from '../../kit/paging/index.ts';

export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** A SCIM resource as listed: an object with an id; the rest is read by field path (field-paths.ts). */
export const ScimResource = z.looseObject({ id: z.string().min(1) });
export type ScimResource = z.infer<typeof ScimResource>;

/** RFC 7644 §3.4.2 ListResponse. Resources may be absent when there are none. */
export const ListResponse = z.looseObject({
  totalResults: z.number().int().min(0),
  itemsPerPage: z.number().int().min(0).optional(),
  startIndex: z.number().int().min(1).optional(),
  Resources: z.array(z.looseObject({ id: z.unknown().optional() })).optional(),
});
export type ListResponse = z.infer<typeof ListResponse>;

/**
 * SCIM errors carry `detail` and `scimType` (§3.12), which the kit's generic reading does not know: they
 * become the vendor message and code; the status still decides what happens (401 auth, 429 wait, 5xx retry).
 */
export const scimClassifier: Classifier = (res, body) => {
  if (res.status < 400 || !body || typeof body !== 'object') return undefined;
  const b = body as { schemas?: unknown; detail?: unknown; scimType?: unknown; status?: unknown };
  if (!Array.isArray(b.schemas) || !b.schemas.includes(ERROR_SCHEMA)) return undefined;
  const base = verdictOfStatus(res.status, undefined);
  if (base.outcome === 'ok') return undefined;
  return { ...base, vendorCode: typeof b.scimType === 'string' ? b.scimType : String(b.status ?? res.status), ...(typeof b.detail === 'string' ? { message: b.detail } : {}) };
};

export const PAGE_SIZE = 100;

/**
 * Every page of GET /Users for a filter (or none). The next startIndex follows what the server returned
 * (itemsPerPage may be below `count`); the read ends at totalResults or on an empty page.
 */
export function userPages(http: HttpClient, o: { filter?: string; attributes?: string[]; count?: number; signal?: AbortSignal }): AsyncGenerator<{ data: ListResponse }> {
  const count = o.count ?? PAGE_SIZE;
  const query: Record<string, string | number> = { startIndex: 1, count };
  if (o.filter) query.filter = o.filter;
  if (o.attributes?.length) query.attributes = o.attributes.join(',');
  return pages(http, { path: '/Users', query, schema: ListResponse, signal: o.signal }, {
    kind: 'custom',
    items: 'Resources',
    next(res, req) {
      const page = res.data as ListResponse;
      const start = Number(req.query?.startIndex ?? 1);
      const n = page.Resources?.length ?? 0;
      if (n === 0 || start - 1 + n >= page.totalResults) return null;
      return { ...req, query: { ...req.query, startIndex: start + n } };
    },
  }) as AsyncGenerator<{ data: ListResponse }>;
}
