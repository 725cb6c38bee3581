import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
process.env.LMC_EXTRA_CONNECTOR_DIRS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
import { FAST_ENV, waitForStatus } from '../engine/helpers.ts';
Object.assign(process.env, FAST_ENV);
import { apiClient, buildApi, createAccountWithToken } from '../helpers/api.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import type { Api } from '../../src/api/types.ts';
import { engineTimings } from '../../src/engine/engine-config.ts';
import { startWorker, type WorkerHandle } from '../../src/engine/worker.ts';
import { CLIENT, startTestVendor, type TestVendor } from './test-vendor.ts';

// An API connector built from kit parts only, run by the engine against a simulator: multi-page read, a 429
// mid-run and an expired token survived, per-record rejects under the vendor's id, the calls in the run log,
// persistent 5xx failing with a retryable code, and the incremental state moving only with success.
let ctx: TestContext;
let app: Api;
let admin: ReturnType<typeof apiClient>;
let token: string;
let accountId: number;
let worker: WorkerHandle;
let vendor: TestVendor;
let connectionId: number;

beforeAll(async () => {
  vendor = await startTestVendor();
  ctx = await createTestContext();
  app = await buildApi(ctx);
  const a = await createAccountWithToken(ctx);
  accountId = a.account.id;
  token = a.token;
  admin = apiClient(app, a.token);
  worker = await startWorker(ctx, { timings: engineTimings() });
});
afterAll(async () => {
  await worker?.stop();
  await app?.close();
  await ctx?.destroy();
  await vendor?.close();
});

async function runNow() {
  const r = await admin.post('/api/v1/runs', { connectionId, actionId: 'read-items' });
  expect(r.statusCode).toBe(202);
  const done = await waitForStatus(ctx, accountId, r.data.id, ['completed', 'completed_with_errors', 'failed']);
  return (await admin.get(`/api/v1/runs/${done.id}`)).data;
}

describe('an API connector on the kit', () => {
  it('is tested with its credentials before it is saved; a wrong secret saves nothing', async () => {
    const bad = await admin.post('/api/v1/connections', { connectorId: 'api-test', name: 'Vendor', settings: { baseUrl: vendor.url, auth: { clientId: CLIENT.clientId, clientSecret: 'wrong' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.data.error.code).toBe('LMC_ERR_AUTH_INVALID_CLIENT');
    expect(JSON.stringify(bad.data)).not.toContain('wrong');
    const ok = await admin.post('/api/v1/connections', { connectorId: 'api-test', name: 'Vendor', settings: { baseUrl: vendor.url, auth: { clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret } } });
    expect(ok.statusCode).toBe(201);
    connectionId = ok.data.id;
    expect(ok.data.secrets).toEqual({ 'auth.clientSecret': true });
  });

  it('reads every page through a 429 and an expired token; rejects name the vendor record', async () => {
    // Pages are 5 items: the third page gets a 429, the fourth finds its token expired.
    vendor.faults.push({ kind: '429', retryAfterSeconds: 1, pathContains: '/link/items', after: 2 }, { kind: 'expire-token', pathContains: '/link/items', after: 3 });
    const run = await runNow();
    expect(run.status).toBe('completed_with_errors');
    expect(run.counts).toMatchObject({ read: 23, rejected: 2, unchanged: 21 });
    expect(run.incremental).toEqual({ before: null, after: { seen: 23 } });
    const summary = run.log.find((l: { message: string }) => l.message.startsWith('vendor API:'));
    expect(summary.data).toMatchObject({ throttled: 1, authRefreshes: 1 });
    expect(summary.data.waitMs).toBeGreaterThanOrEqual(1000);
    expect(run.log.some((l: { message: string }) => /the vendor answered 429; trying again in 1 s, as it asked/.test(l.message))).toBe(true);
    const errors = await app.inject({ method: 'GET', url: `/api/v1/runs/${run.id}/errors.csv`, headers: { authorization: `Bearer ${token}` } });
    expect(errors.statusCode).toBe(200);
    expect(errors.body).toContain('item-10');
    expect(errors.body).toContain('item-20');
  });

  it('a vendor that keeps failing fails the run with a retryable code; the state stays where it was', async () => {
    vendor.faults.push({ kind: '503', count: 20, pathContains: '/link/items' });
    const run = await runNow();
    expect(run.status).toBe('failed');
    expect(run.errorCode).toBe('LMC_ERR_HTTP_SERVER');
    expect(run.incremental.before).toEqual({ seen: 23 });
    vendor.faults.length = 0;
    const next = await runNow();
    expect(next.incremental).toEqual({ before: { seen: 23 }, after: { seen: 46 } });
  });
});
