import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient } from '../../src/kit/http/client.ts';
import { paginate, pages } from '../../src/kit/paging/paginate.ts';
import { CLIENT, ITEMS, startTestVendor, type TestVendor } from './test-vendor.ts';
import { testClientCredentials } from './test-auth.ts';

let v: TestVendor;
let client: HttpClient;

beforeAll(async () => {
  v = await startTestVendor();
  client = createHttpClient({ baseUrl: v.url, auth: testClientCredentials(`${v.url}/oauth2/token`, CLIENT.clientId, CLIENT.clientSecret), retry: { baseMs: 5 } });
});
afterAll(async () => {
  await client.close();
  await v.close();
});
beforeEach(() => v.log.reset());

const all = async (it: AsyncIterable<unknown>) => {
  const out: unknown[] = [];
  for await (const x of it) out.push(x);
  return out;
};
const calls = (path: string) => v.log.entries.filter((e) => e.path === path || e.path.startsWith(`${path}/`));

describe('kit/paging against a simulator-kit vendor', () => {
  it('link: follows @odata.nextLink (absolute) until it is gone', async () => {
    expect(await all(paginate(client, { path: '/link/items' }, { kind: 'link', next: '@odata.nextLink', items: 'value' }))).toEqual(ITEMS);
    expect(calls('/link/items')).toHaveLength(5);
  });

  it('link: follows nextRecordsUrl relative to the host (Salesforce)', async () => {
    expect(await all(paginate(client, { path: '/records' }, { kind: 'link', next: 'nextRecordsUrl', items: 'records' }))).toEqual(ITEMS);
    expect(calls('/records')).toHaveLength(3);
  });

  it('link: follows an RFC 8288 Link header rel="next" with the body an array', async () => {
    expect(await all(paginate(client, { path: '/header/items' }, { kind: 'link', header: true }))).toEqual(ITEMS);
    expect(calls('/header/items')).toHaveLength(4);
  });

  it('cursor: the answer\'s token goes into the next request until it is empty', async () => {
    expect(await all(paginate(client, { path: '/cursor/items', query: { limit: 6 } }, { kind: 'cursor', cursor: 'next_cursor', param: 'cursor', items: 'entries' }))).toEqual(ITEMS);
    expect(calls('/cursor/items')).toHaveLength(4);
  });

  it('offset/limit: stops at the total without asking for an empty page', async () => {
    expect(await all(paginate(client, { path: '/offset/items' }, { kind: 'offset', offsetParam: 'offset', limitParam: 'limit', limit: 10, total: 'total', items: 'items' }))).toEqual(ITEMS);
    expect(calls('/offset/items')).toHaveLength(3);
  });

  it('offset/limit: stops on a short page when there is no total', async () => {
    expect(await all(paginate(client, { path: '/offset/items' }, { kind: 'offset', offsetParam: 'offset', limitParam: 'limit', limit: 8, items: 'items' }))).toEqual(ITEMS);
    expect(calls('/offset/items')).toHaveLength(3);
  });

  it('page number: stops at total_pages', async () => {
    expect(await all(paginate(client, { path: '/page/items' }, { kind: 'page', pageParam: 'page', sizeParam: 'per_page', size: 5, totalPages: 'total_pages', items: 'data' }))).toEqual(ITEMS);
    expect(calls('/page/items')).toHaveLength(5);
  });

  it('custom: a function given the last answer returns the next request or null', async () => {
    const got = await all(
      paginate(client, { path: '/page/items', query: { page: 1, per_page: 9 } }, {
        kind: 'custom',
        items: 'data',
        next: (last, req) => {
          const d = last.data as { page: number; total_pages: number };
          return d.page < d.total_pages ? { ...req, query: { ...req.query, page: d.page + 1 } } : null;
        },
      }),
    );
    expect(got).toEqual(ITEMS);
    expect(calls('/page/items')).toHaveLength(3);
  });

  it('backpressure: a page is fetched only when the consumer asks for more', async () => {
    const it = paginate(client, { path: '/link/items' }, { kind: 'link', next: '@odata.nextLink', items: 'value' });
    let n = 0;
    for await (const _ of it) if (++n === 3) break;
    expect(calls('/link/items')).toHaveLength(1);
  });

  it('prefetch: one page ahead at most, same items in the same order', async () => {
    const seen: number[] = [];
    for await (const res of pages(client, { path: '/link/items' }, { kind: 'link', next: '@odata.nextLink', items: 'value' }, { prefetch: true })) {
      await new Promise((r) => setTimeout(r, 30));
      seen.push(calls('/link/items').length);
      expect((res.data as { value: unknown[] }).value.length).toBeGreaterThan(0);
    }
    // While page k is consumed, page k+1 (and no further) has been requested.
    expect(seen.every((c, i) => c <= i + 2)).toBe(true);
    expect(calls('/link/items')).toHaveLength(5);
    expect(await all(paginate(client, { path: '/link/items' }, { kind: 'link', next: '@odata.nextLink', items: 'value' }, { prefetch: true }))).toEqual(ITEMS);
  });
});
