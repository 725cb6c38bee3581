import type { HttpClient, HttpResponse } from '../http/client.ts';
import type { HttpRequest } from '../http/request-parts.ts';
import { valueAt } from './json-path.ts';
import { nextFromLinkHeader } from './link-header.ts';
import type { PagingStrategy } from './strategies.ts';

export interface PagingOptions {
  /** Fetch the next page while the consumer works on this one (at most one page ahead). Default false. */
  prefetch?: boolean;
  /** Stop after this many pages (a safety net against a vendor that never ends). Default unlimited. */
  maxPages?: number;
}

/** The items of one answer, by the strategy's `items` path (an array, or nothing). */
export function itemsOf(strategy: PagingStrategy, data: unknown): unknown[] {
  const v = valueAt(data, strategy.items);
  return Array.isArray(v) ? v : [];
}

/** The request for the page after `res`, or null at the end. */
export function nextRequest(s: PagingStrategy, req: HttpRequest, res: HttpResponse<unknown>, items: unknown[]): HttpRequest | null {
  const { path: _p, url: _u, query: _q, ...rest } = req;
  switch (s.kind) {
    case 'link': {
      const fromBody = s.next ? valueAt(res.data, s.next) : undefined;
      const next = typeof fromBody === 'string' && fromBody ? fromBody : s.header ? nextFromLinkHeader(res.headers.get('link'), res.url) : undefined;
      // The link carries the whole query; the same link twice would loop forever.
      if (!next || next === res.url) return null;
      return { ...rest, url: next };
    }
    case 'cursor': {
      const cursor = valueAt(res.data, s.cursor);
      if (cursor === undefined || cursor === null || cursor === '') return null;
      if (s.more && valueAt(res.data, s.more) === false) return null;
      if (s.in === 'body') return { ...req, json: { ...(req.json as object), [s.param]: cursor } };
      return { ...req, query: { ...req.query, [s.param]: String(cursor) } };
    }
    case 'offset': {
      const offset = Number(req.query?.[s.offsetParam] ?? s.start ?? 0);
      const total = s.total ? Number(valueAt(res.data, s.total)) : NaN;
      const next = offset + items.length;
      if (items.length === 0 || items.length < s.limit || (Number.isFinite(total) && next >= total)) return null;
      return { ...req, query: { ...req.query, [s.offsetParam]: next, [s.limitParam]: s.limit } };
    }
    case 'page': {
      const page = Number(req.query?.[s.pageParam] ?? s.start ?? 1);
      const pages = s.totalPages ? Number(valueAt(res.data, s.totalPages)) : NaN;
      const first = s.start ?? 1;
      if (items.length === 0 || (s.size !== undefined && items.length < s.size) || (Number.isFinite(pages) && page - first + 1 >= pages)) return null;
      return { ...req, query: { ...req.query, [s.pageParam]: page + 1, ...(s.sizeParam && s.size !== undefined ? { [s.sizeParam]: s.size } : {}) } };
    }
    case 'custom':
      return s.next(res, req, items);
  }
}

/** The first request with the strategy's starting parameters (offset 0 / page 1 and the page size). */
function firstRequest(s: PagingStrategy, req: HttpRequest): HttpRequest {
  if (s.kind === 'offset') return { ...req, query: { [s.offsetParam]: s.start ?? 0, [s.limitParam]: s.limit, ...req.query } };
  if (s.kind === 'page') return { ...req, query: { [s.pageParam]: s.start ?? 1, ...(s.sizeParam && s.size !== undefined ? { [s.sizeParam]: s.size } : {}), ...req.query } };
  return req;
}

/**
 * Every answer of a paged read, one page at a time: the next page is requested only when the consumer asks
 * for it (or, with `prefetch`, while it works on the current one). Breaking out of the loop stops it (a
 * prefetch in flight is cancelled).
 */
export async function* pages(client: HttpClient, first: HttpRequest, strategy: PagingStrategy, opts: PagingOptions = {}): AsyncGenerator<HttpResponse<unknown>> {
  const stop = new AbortController();
  const fetchPage = (req: HttpRequest) => {
    const r = { ...req, signal: req.signal ? AbortSignal.any([req.signal, stop.signal]) : stop.signal };
    return client.request<unknown>(r).then((res) => ({ req, res }));
  };
  try {
    let pending: Promise<{ req: HttpRequest; res: HttpResponse<unknown> }> | null = fetchPage(firstRequest(strategy, first));
    let count = 0;
    while (pending) {
      const { req, res } = await pending;
      count++;
      const next = opts.maxPages !== undefined && count >= opts.maxPages ? null : nextRequest(strategy, req, res, itemsOf(strategy, res.data));
      pending = null;
      if (next && opts.prefetch) {
        pending = fetchPage(next);
        pending.catch(() => undefined); // surfaced when awaited; not an unhandled rejection meanwhile
      }
      yield res;
      if (next && !opts.prefetch) pending = fetchPage(next);
    }
  } finally {
    stop.abort();
  }
}

/**
 * Every item of a paged read, in order.
 * @example
 *   for await (const u of paginate(graph, { path: '/users', query: { $top: 999 } }, { kind: 'link', next: '@odata.nextLink', items: 'value' })) ...
 */
export async function* paginate<T = unknown>(client: HttpClient, first: HttpRequest, strategy: PagingStrategy, opts: PagingOptions = {}): AsyncGenerator<T> {
  for await (const res of pages(client, first, strategy, opts)) yield* itemsOf(strategy, res.data) as T[];
}
