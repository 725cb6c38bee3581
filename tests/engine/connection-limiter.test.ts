import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppContext, type AppContext } from '../../src/app-context.ts';
import { openDatabase } from '../../src/db/database.ts';
import { connectionHttpClient } from '../../src/engine/connection-http.ts';
import { connectionLimiter } from '../../src/engine/connection-limiter.ts';
import type { ConnectorDefinition } from '../../src/kit/define-connector.ts';
import type { LimitOptions } from '../../src/kit/http/rate-limiter.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { createAccountWithToken } from '../helpers/api.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';

// The per-connection limiter in PostgreSQL: the vendor's limits hold for all clients of a connection together
// (two workers, each with its own database pool), and a worker that dies gives its slots back after the lease.
const here = path.dirname(fileURLToPath(import.meta.url));
let ctx: TestContext;
let ctx2: AppContext; // a second process's view: its own pool on the same database
let accountId: number;
let vendor: { url: string; starts: number[]; maxInFlight: number; reset(): void; close(): Promise<void> };

/** A vendor that takes `delayMs` per request and records when each started and how many ran at once. */
async function startVendor(delayMs: number): Promise<typeof vendor> {
  let inFlight = 0;
  const v = { url: '', starts: [] as number[], maxInFlight: 0, reset: () => ((v.starts = []), (v.maxInFlight = 0)), close: () => new Promise<void>((r) => server.close(() => r())) };
  const server = http.createServer((_req, res) => {
    v.starts.push(Date.now());
    v.maxInFlight = Math.max(v.maxInFlight, ++inFlight);
    setTimeout(() => {
      inFlight--;
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    }, delayMs);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  v.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return v;
}

async function newConnection(): Promise<number> {
  const c = await ctx.db.insertInto('connections').values({ account_id: accountId, connector_id: 'limits-test', name: `c${Math.random()}`, history_key: `limits-test:${Math.random()}` }).returning('id').executeTakeFirstOrThrow();
  return Number(c.id);
}

const connector = (limits: LimitOptions) => ({ id: 'limits-test', http: { baseUrl: vendor.url, limits } }) as unknown as ConnectorDefinition;

beforeAll(async () => {
  ctx = await createTestContext();
  ctx2 = await openAppContext({ config: ctx.config, dbUrl: ctx.dbUrl, log: createLogger('silent') });
  accountId = (await createAccountWithToken(ctx)).account.id;
  vendor = await startVendor(80);
});
afterAll(async () => {
  await ctx2?.close();
  await ctx?.destroy();
  await vendor?.close();
});

describe('the limits of a connection, shared by all of its clients', () => {
  it('two workers together never have more requests in flight than the connection allows', async () => {
    const id = await newConnection();
    const limits = { concurrency: 3 };
    const a = connectionHttpClient(ctx, connector(limits), {}, { accountId, connectionId: id });
    const b = connectionHttpClient(ctx2, connector(limits), {}, { accountId, connectionId: id });
    vendor.reset();
    await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? a : b).get('/items')));
    expect(vendor.starts).toHaveLength(24);
    expect(vendor.maxInFlight).toBe(3); // both together, each alone would allow 3
    // and each client waited for the other's requests, not only its own
    expect(a.counters.limitWaitMs + b.counters.limitWaitMs).toBeGreaterThan(0);
  });

  it('a client of another connection is not held back by this one', async () => {
    const busy = await newConnection();
    const other = await newConnection();
    const held = connectionLimiter(ctx, busy, { concurrency: 1 });
    const release = await held.acquire();
    const c = connectionHttpClient(ctx2, connector({ concurrency: 1 }), {}, { accountId, connectionId: other });
    await c.get('/items'); // would hang if slots were shared across connections
    release();
  });

  it('two workers together keep to the rate (requests per second, with its burst)', async () => {
    const id = await newConnection();
    const limits = { ratePerSecond: 10, burst: 2, concurrency: 20 };
    const a = connectionHttpClient(ctx, connector(limits), {}, { accountId, connectionId: id });
    const b = connectionHttpClient(ctx2, connector(limits), {}, { accountId, connectionId: id });
    // warm up (database and HTTP connections opened), then wait for a full bucket
    await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).get('/items')));
    await new Promise((r) => setTimeout(r, 300));
    vendor.reset();
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? a : b).get('/items')));
    // 2 at once, then one every 100 ms: the 16th starts about 1.4 s in (each client alone would allow 10/s)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1300);
    const starts = [...vendor.starts].sort((x, y) => x - y);
    // in any second, at most burst + rate started: 12 (one more for the vendor seeing a request a little after
    // the limiter let it go, on a loaded machine); a bucket per client would let about 16 through
    const inASecond = Math.max(...starts.map((t) => starts.filter((u) => u >= t && u < t + 1000).length));
    expect(inASecond).toBeLessThanOrEqual(13);
  });

  it('a database that cannot be reached fails the call with a clear code, not as a cancelled run, and sends nothing', async () => {
    const id = await newConnection();
    // a worker whose database went away (nothing listens on port 1)
    const lost = openDatabase('postgres://lmc@127.0.0.1:1/lmc', { max: 1 });
    const c = connectionHttpClient({ ...ctx, db: lost.db } as AppContext, connector({ concurrency: 2 }), {}, { accountId, connectionId: id });
    vendor.reset();
    await expect(c.get('/items')).rejects.toMatchObject({ code: 'LMC_ERR_CONNECTION_LIMITER_UNAVAILABLE', retryable: true, message: expect.stringContaining(`connection ${id}`) });
    expect(vendor.starts).toEqual([]);
    await lost.db.destroy();
  });

  it('a worker killed while it holds slots gives them back when its lease runs out, not before', async () => {
    const id = await newConnection();
    const leaseMs = 3000; // renewed every second: a loaded machine has two seconds of margin
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'limiter-holder.ts'), ctx.dbUrl, String(id), '2', '2', String(leaseMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => String(d).includes('held') && resolve());
      child.on('exit', (code) => reject(new Error(`the holder exited (${code}): ${err}`)));
    });
    const limiter = connectionLimiter(ctx, id, { concurrency: 2 }, { leaseMs });
    // while the holder lives, it renews its leases: nothing is free, even after a lease's length
    const waiting = new AbortController();
    const early = limiter.acquire(waiting.signal);
    await new Promise((r) => setTimeout(r, leaseMs + 500));
    waiting.abort(new Error('stop waiting'));
    await expect(early).rejects.toThrow('stop waiting');

    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const killedAt = Date.now();
    const r1 = await limiter.acquire();
    const r2 = await limiter.acquire();
    const waited = Date.now() - killedAt;
    expect(waited).toBeGreaterThan(200); // the leases had time left when the holder died...
    expect(waited).toBeLessThan(leaseMs + 2000); // ...and no more than that
    r1();
    r2();
    const rows = await ctx.db.selectFrom('connection_limit_slots').select(['slot']).where('connection_id', '=', id).orderBy('slot').execute();
    expect(rows.map((r) => r.slot)).toEqual([1, 2]);
  });
});
