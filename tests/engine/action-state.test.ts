import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEngineEnv, waitForStatus } from './helpers.ts';
useTestEngineEnv();
import { apiClient, buildApi, createAccountWithToken } from '../helpers/api.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import type { Api } from '../../src/api/types.ts';
import { engineTimings } from '../../src/engine/engine-config.ts';
import { startWorker, type WorkerHandle } from '../../src/engine/worker.ts';

// Incremental actions: the state moves on only with a successful real run; a failed run or a dry run leaves
// it; an admin can read and reset it.
let ctx: TestContext;
let app: Api;
let admin: ReturnType<typeof apiClient>;
let accountId: number;
let worker: WorkerHandle;
let dir: string;

beforeAll(async () => {
  ctx = await createTestContext({ LMC_SECRET_KEY: crypto.randomBytes(32).toString('base64') });
  app = await buildApi(ctx);
  const a = await createAccountWithToken(ctx);
  accountId = a.account.id;
  admin = apiClient(app, a.token);
  worker = await startWorker(ctx, { timings: engineTimings() });
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-state-'));
});
afterAll(async () => {
  await worker?.stop();
  await app?.close();
  await ctx?.destroy();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

async function run(connectionId: number, more: Record<string, unknown> = {}) {
  const r = await admin.post('/api/v1/runs', { connectionId, actionId: 'incremental', ...more });
  expect(r.statusCode).toBe(202);
  return waitForStatus(ctx, accountId, r.data.id, ['completed', 'completed_with_errors', 'failed']);
}

describe('incremental state', () => {
  it('commits the staged state only with a successful real run', async () => {
    const c = await admin.post('/api/v1/connections', { connectorId: 'engine-test', name: 'Delta', settings: { dir, apiKey: 'k' } });
    const id = c.data.id as number;
    const state = () => admin.get(`/api/v1/connections/${id}/actions/incremental/state`).then((r) => r.data);
    expect(await state()).toMatchObject({ incremental: true, state: null, runId: null });

    const first = await run(id);
    expect(first.status).toBe('completed');
    expect(await state()).toMatchObject({ state: { n: 1 }, runId: first.id });

    await fs.writeFile(path.join(dir, 'fail-incremental'), '');
    const failed = await run(id);
    expect(failed.status).toBe('failed');
    expect(await state()).toMatchObject({ state: { n: 1 }, runId: first.id }); // the failed run is read again next time
    await fs.rm(path.join(dir, 'fail-incremental'));

    const dry = await run(id, { dryRun: true });
    expect(dry.status).toBe('completed');
    expect(await state()).toMatchObject({ state: { n: 1 } });

    const second = await run(id);
    const view = (await admin.get(`/api/v1/runs/${second.id}`)).data;
    expect(view.incremental).toEqual({ before: { n: 1 }, after: { n: 2 } });
    expect(await state()).toMatchObject({ state: { n: 2 }, runId: second.id });

    expect((await admin.delete(`/api/v1/connections/${id}/actions/incremental/state`)).statusCode).toBe(204);
    expect(await state()).toMatchObject({ state: null });
    const full = await run(id);
    expect((await admin.get(`/api/v1/runs/${full.id}`)).data.incremental).toEqual({ before: null, after: { n: 1 } });

    // Another account sees none of it.
    const other = apiClient(app, (await createAccountWithToken(ctx)).token);
    expect((await other.get(`/api/v1/connections/${id}/actions/incremental/state`)).statusCode).toBe(404);
    expect((await other.delete(`/api/v1/connections/${id}/actions/incremental/state`)).statusCode).toBe(404);
  });
});
