import net from 'node:net';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AuthSession } from '../../src/kit/http/auth-session.ts';
import { createHttpClient, type HttpClientOptions } from '../../src/kit/http/client.ts';
import type { RetryEvent } from '../../src/kit/http/counters.ts';
import { HttpError } from '../../src/kit/http/http-error.ts';
import { CLIENT, startTestVendor, type TestVendor } from './test-vendor.ts';
import { testClientCredentials } from './test-auth.ts';

let v: TestVendor;
beforeAll(async () => {
  v = await startTestVendor();
});
afterAll(() => v.close());
beforeEach(() => {
  v.faults.length = 0;
  v.log.reset();
});

const clientFor = (o: Partial<HttpClientOptions> = {}) => {
  const auth = testClientCredentials(`${v.url}/oauth2/token`, CLIENT.clientId, CLIENT.clientSecret);
  return { auth, client: createHttpClient({ baseUrl: v.url, auth, retry: { baseMs: 5, ...o.retry }, ...o }) };
};
const statuses = (path: string) => v.log.entries.filter((e) => e.path === path).map((e) => e.status);
/** A loopback port nobody listens on (fetch refuses port 1 and other "bad ports" before connecting). */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
const failure = async (p: Promise<unknown>): Promise<HttpError> => {
  try {
    await p;
  } catch (e) {
    return e as HttpError;
  }
  throw new Error('expected a failure');
};

describe('kit/http retries and Retry-After', () => {
  it('waits the Retry-After seconds of a 429, then succeeds (the wait seen by the server and counted)', async () => {
    const { client } = clientFor();
    v.faults.push({ kind: '429', retryAfterSeconds: 1, pathContains: '/link/items' });
    const res = await client.get<{ value: unknown[] }>('/link/items');
    expect(res.value).toHaveLength(5);
    const [first, second] = v.log.entries.filter((e) => e.path === '/link/items');
    expect([first.status, second.status]).toEqual([429, 200]);
    // The server saw the retry at least the asked second after answering 429.
    expect(second.startedAt - first.endedAt).toBeGreaterThanOrEqual(990);
    expect(client.counters).toMatchObject({ calls: 2, retries: 1, throttled: 1, waitMs: 1000 });
  });

  it('honours Retry-After as an HTTP-date', async () => {
    const { client } = clientFor();
    v.faults.push({ kind: '429', retryAfterDateSeconds: 2, pathContains: '/link/items' });
    await client.get('/link/items');
    const [first, second] = v.log.entries.filter((e) => e.path === '/link/items');
    expect(first.status).toBe(429);
    // An HTTP-date has whole seconds: 2 s ahead, cut to the second, is 1 to 2 s from now.
    expect(client.counters.waitMs).toBeGreaterThan(0);
    expect(client.counters.waitMs).toBeLessThanOrEqual(2000);
    expect(second.startedAt - first.endedAt).toBeGreaterThanOrEqual(client.counters.waitMs - 50);
  });

  it('reads X-RateLimit-Reset (epoch seconds) when asked to', async () => {
    const { client } = clientFor({ retry: { baseMs: 5, resetHeaders: true } });
    v.faults.push({ kind: '429', headers: { 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 2) }, pathContains: '/link/items' });
    await client.get('/link/items');
    expect(statuses('/link/items')).toEqual([429, 200]);
    expect(client.counters.waitMs).toBeGreaterThan(500);
  });

  it('retries a 503, then succeeds (the retry reported for the run log)', async () => {
    const events: RetryEvent[] = [];
    const { client } = clientFor({ onRetry: (e) => events.push(e) });
    v.faults.push({ kind: '503', pathContains: '/link/items' });
    await client.get('/link/items');
    expect(statuses('/link/items')).toEqual([503, 200]);
    expect(client.counters.retries).toBe(1);
    expect(events).toEqual([{ method: 'GET', url: `${v.url}/link/items`, httpStatus: 503, code: 'ServiceFailure', attempt: 1, waitMs: expect.any(Number), fromServer: false }]);
  });

  it('a persistent 5xx fails after N retries with a retryable typed error (status, vendor code, request id)', async () => {
    const { client } = clientFor({ retry: { retries: 3, baseMs: 5 } });
    v.faults.push({ kind: '500', count: 10, pathContains: '/link/items' });
    const e = await failure(client.get('/link/items'));
    expect(e).toBeInstanceOf(HttpError);
    expect(e).toMatchObject({ code: 'LMC_ERR_HTTP_SERVER', retryable: true, httpStatus: 500, vendorCode: 'ServiceFailure', attempts: 4, method: 'GET' });
    expect(e.requestId).toMatch(/^[0-9a-f]{16}$/);
    expect(e.message).toContain(`GET ${v.url}/link/items`);
    expect(statuses('/link/items')).toEqual([500, 500, 500, 500]);
    v.faults.length = 0;
  });

  it('a dropped connection is retried for a GET', async () => {
    const { client } = clientFor();
    v.faults.push({ kind: 'drop', pathContains: '/link/items' });
    await client.get('/link/items');
    expect(statuses('/link/items')).toEqual([0, 200]);
  });

  it('a POST whose connection dropped after sending is not sent again, unless marked idempotent', async () => {
    const { client } = clientFor();
    v.faults.push({ kind: 'drop', pathContains: '/echo' });
    const e = await failure(client.post('/echo', { a: 1 }));
    expect(e).toMatchObject({ code: 'LMC_ERR_HTTP_NETWORK', attempts: 1 });
    expect(statuses('/echo')).toEqual([0]);
    v.faults.push({ kind: 'drop', pathContains: '/echo' });
    expect(await client.post('/echo', { a: 2 }, { idempotent: true })).toEqual({ got: { a: 2 } });
    expect(statuses('/echo')).toEqual([0, 0, 200]);
  });

  it('an attempt that times out is retried (the slow answer is abandoned)', async () => {
    const { client } = clientFor({ timeoutMs: 300 });
    await client.get('/open'); // the token first
    v.faults.push({ kind: 'slow', delayMs: 1500, pathContains: '/link/items' });
    expect(await client.get<{ value: unknown[] }>('/link/items')).toMatchObject({ value: expect.any(Array) });
    expect(client.counters.retries).toBe(1);
    const e = await failure(clientFor({ timeoutMs: 200, retry: { retries: 0 } }).client.get('/slow', { query: { ms: 1000 } }));
    expect(e).toMatchObject({ code: 'LMC_ERR_HTTP_NETWORK', retryable: true });
    expect(e.message).toContain('TIMEOUT');
  });

  it('a streamed download is paced by the caller: the attempt deadline ends with the headers, the slot with the stream', async () => {
    const { client } = clientFor({ timeoutMs: 300, limits: { concurrency: 1 } });
    const res = await client.request<Readable>({ path: '/download', query: { gap: 150 }, responseType: 'stream' });
    let text = '';
    for await (const c of res.data) text += String(c);
    expect(text).toBe('line 0\nline 1\nline 2\nline 3\nline 4\n');
    // The one concurrency slot came back when the stream closed: the next call goes through.
    expect(await client.get('/open')).toEqual({ open: true });
  });

  it('a refused connection is retried (nothing was sent), then fails with a retryable network error', async () => {
    const { client } = clientFor({ baseUrl: `http://127.0.0.1:${await closedPort()}`, auth: undefined, retry: { retries: 2, baseMs: 1 } });
    const e = await failure(client.post('/x', {}));
    expect(e).toMatchObject({ code: 'LMC_ERR_HTTP_NETWORK', retryable: true, attempts: 3 });
    expect(e.message).toContain('ECONNREFUSED');
  });
});

describe('kit/http credentials', () => {
  it('401 → refresh once → success', async () => {
    const { client, auth } = clientFor();
    await client.get('/link/items');
    v.tokens.expireAll();
    v.log.reset();
    await client.get('/link/items');
    expect(statuses('/link/items')).toEqual([401, 200]);
    expect(auth.refreshes).toBe(1);
    expect(client.counters.authRefreshes).toBe(1);
  });

  it('401 twice → an auth error, after a single refresh', async () => {
    const { client, auth } = clientFor();
    v.faults.push({ kind: '401', count: 2, pathContains: '/link/items' });
    const e = await failure(client.get('/link/items'));
    expect(e).toMatchObject({ code: 'LMC_ERR_HTTP_AUTH', retryable: false, httpStatus: 401, vendorCode: 'InvalidAuthenticationToken' });
    expect(auth.refreshes).toBe(1);
    expect(statuses('/link/items')).toEqual([401, 401]);
  });

  it('no credential appears in an error\'s message, JSON or cause', async () => {
    const apiKey = 'sk-live-9f8e7d6c5b4a3921';
    const token = 'tok-0123456789abcdef0123';
    const leaky: AuthSession = {
      async apply(req) {
        req.url.searchParams.set('subscription', apiKey);
        req.headers.set('authorization', `Bearer ${token}`);
      },
    };
    const client = createHttpClient({ baseUrl: v.url, auth: leaky, retry: { retries: 1, baseMs: 1 } });
    const e = await failure(client.get('/leaky', { query: { client_secret: 'cs-abcdef123456', q: 'x' } }));
    expect(e.code).toBe('LMC_ERR_HTTP_CLIENT');
    const shown = [e.message, JSON.stringify(e), JSON.stringify(e.data), String(e.cause ?? '')].join('\n');
    for (const s of [apiKey, token, 'cs-abcdef123456']) expect(shown).not.toContain(s);
    expect(e.message).toContain('subscription=***');
    expect(e.message).toContain('q=x');
    // A network error too.
    const down = createHttpClient({ baseUrl: `http://127.0.0.1:${await closedPort()}`, auth: leaky, retry: { retries: 0 } });
    const n = await failure(down.get('/x'));
    expect([n.message, JSON.stringify(n), String(n.cause)].join('\n')).not.toContain(apiKey);
  });

  it('credentials go only to the base URL\'s origin', async () => {
    const seen: string[] = [];
    const client = createHttpClient({ baseUrl: `${v.url}/`, auth: { apply: async (r) => void seen.push(r.url.origin) } });
    const other = v.url.replace('127.0.0.1', 'localhost');
    await client.request({ url: `${other}/open` });
    await client.request({ path: '/open' });
    expect(seen).toEqual([new URL(v.url).origin]);
  });
});

describe('kit/http limits, cancellation, classifier, validation', () => {
  it('never has more requests in flight than the concurrency limit', async () => {
    const { client } = clientFor({ limits: { concurrency: 3 } });
    await client.get('/open'); // the token first: the auth kind's own calls are not the client's
    v.log.reset();
    await Promise.all(Array.from({ length: 12 }, () => client.get('/slow', { query: { ms: 80 } })));
    expect(v.log.maxInFlight).toBe(3);
  });

  it('spaces requests by the rate limit (token bucket)', async () => {
    const { client } = clientFor({ limits: { ratePerSecond: 20, burst: 1 } });
    await client.get('/open'); // the token is fetched outside the bucket; this spends the one token
    v.log.reset();
    await Promise.all(Array.from({ length: 5 }, () => client.get('/open')));
    const starts = v.log.entries.map((e) => e.startedAt).sort((a, b) => a - b);
    // 5 requests at 20/s after an empty bucket: at least 4 intervals of 50 ms (minus timer slack).
    expect(starts[4] - starts[0]).toBeGreaterThanOrEqual(180);
    expect(client.counters.limitWaitMs).toBeGreaterThanOrEqual(150);
  });

  it('an abort stops a Retry-After wait at once', async () => {
    const ctl = new AbortController();
    const { client } = clientFor({ signal: ctl.signal, retry: { maxMs: 60_000 } });
    v.faults.push({ kind: '429', retryAfterSeconds: 30, pathContains: '/link/items' });
    const t0 = Date.now();
    const p = failure(client.get('/link/items'));
    while (!v.log.entries.some((e) => e.status === 429)) await new Promise((r) => setTimeout(r, 10));
    ctl.abort(new Error('run cancelled'));
    const e = await p;
    expect(e.code).toBe('LMC_ERR_HTTP_ABORTED');
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(statuses('/link/items')).toEqual([429]);
  });

  it('classifier: Marketo\'s 606 inside an HTTP 200 is a rate limit, retried; another code fails with it', async () => {
    const classify: HttpClientOptions['classify'] = (_res, body) => {
      const b = body as { success?: boolean; errors?: Array<{ code: string; message: string }> };
      if (b?.success !== false) return undefined;
      const err = b.errors?.[0];
      if (err?.code === '606') return { outcome: 'rate-limited', vendorCode: err.code, message: err.message, retryAfterMs: 20 };
      return { outcome: 'fatal', vendorCode: err?.code, message: err?.message };
    };
    const { client } = clientFor({ classify });
    v.marketo606.left = 2;
    expect(await client.get('/marketo/items')).toMatchObject({ success: true });
    expect(client.counters).toMatchObject({ calls: 3, throttled: 2, waitMs: 40 });
    const e = await failure(client.get('/marketo/items', { query: { bad: 1 } }));
    expect(e).toMatchObject({ code: 'LMC_ERR_HTTP_VENDOR', httpStatus: 200, vendorCode: '1003' });
    expect(e.message).toContain('Invalid lookup field');
  });

  it('classifier: a SOAP fault is not retried although HTTP 500; INVALID_SESSION_ID refreshes the session once', async () => {
    const classify: HttpClientOptions['classify'] = (_res, body) => {
      const code = typeof body === 'string' ? /<faultcode>([^<]+)<\/faultcode>/.exec(body)?.[1] : undefined;
      if (!code) return undefined;
      const message = /<faultstring>([^<]+)<\/faultstring>/.exec(body as string)?.[1];
      return code.endsWith('INVALID_SESSION_ID') ? { outcome: 'auth-expired', vendorCode: code, message } : { outcome: 'fatal', vendorCode: code, message };
    };
    const { client, auth } = clientFor({ classify });
    const soap = (what: string) => client.request<string>({ method: 'POST', path: '/soap', body: `<query>${what}</query>`, headers: { 'content-type': 'text/xml' }, responseType: 'text' });
    await client.get('/open');
    v.tokens.expireAll();
    v.log.reset();
    expect((await soap('ok')).data).toContain('queryResponse');
    expect(auth.refreshes).toBe(1);
    expect(statuses('/soap')).toEqual([500, 200]);
    const e = await failure(soap('bad'));
    expect(e).toMatchObject({ code: 'LMC_ERR_HTTP_CLIENT', httpStatus: 500, vendorCode: 'sf:INVALID_FIELD', attempts: 1 });
    expect(e.message).toContain("No such column 'Nope'");
  });

  it('zod validation names the offending path', async () => {
    const { client } = clientFor();
    const e = await failure(client.get('/bad-shape', { schema: z.object({ value: z.array(z.object({ id: z.string() })) }) }));
    expect(e).toMatchObject({ code: 'LMC_ERR_HTTP_INVALID_RESPONSE', field: 'value.1.id' });
    expect(e.message).toContain('value.1.id');
  });
});
