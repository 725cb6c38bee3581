import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnWorker, until, useTestEngineEnv, waitForStatus } from './helpers.ts';
useTestEngineEnv();
import { createAccountWithToken } from '../helpers/api.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { createConnection } from '../../src/engine/connections.ts';
import { engineTimings } from '../../src/engine/engine-config.ts';
import { maintenanceRun } from '../../src/engine/maintenance.ts';
import { createOnDemandRun } from '../../src/engine/runs.ts';
import { enqueueDueSlots, startScheduler } from '../../src/engine/scheduler.ts';
import { putSchedule } from '../../src/engine/schedules.ts';

const key = crypto.randomBytes(32).toString('base64');
let ctx: TestContext;
let accountId: number;
let actor: { accountId: number; userId: number };
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  ctx = await createTestContext({ LMC_SECRET_KEY: key });
  const a = await createAccountWithToken(ctx);
  accountId = a.account.id;
  actor = { accountId, userId: a.user.id };
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-workers-'));
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await ctx?.destroy();
});

const exists = (p: string) => fs.stat(p).then(() => true, () => false);
const worker = () => {
  const c = spawnWorker(ctx.dbUrl, { LMC_SECRET_KEY: key });
  children.push(c);
  return c;
};

async function connection(name: string) {
  return createConnection(ctx, actor, { connectorId: 'engine-test', name, settings: { dir, apiKey: 'k' } });
}

/**
 * Makes a schedule due now (its first slot moved into the past). Its regular slots start six hours from now,
 * daily: a test that takes minutes never meets a second slot, whatever the time of day it runs (an hourly
 * schedule gave every connection a second run when a test crossed the full hour).
 */
async function makeDue(connectionId: number, actionId: string) {
  const startLocal = new Date(Date.now() + 6 * 3600_000).toISOString().slice(0, 16);
  await putSchedule(ctx, accountId, connectionId, actionId, { enabled: true, startLocal, timeZone: 'UTC', every: 1, unit: 'days' });
  await ctx.db.updateTable('schedules').set({ next_due_at: sql<Date>`now() - interval '1 minute'` }).where('connection_id', '=', connectionId).where('action_id', '=', actionId).execute();
}

describe('workers and scheduler', () => {
  it('runs missed slots once after downtime, then moves past now', async () => {
    const c = await connection('Missed');
    await putSchedule(ctx, accountId, c.id, 'noop', { enabled: true, startLocal: '2026-01-01T00:00', timeZone: 'UTC', every: 1, unit: 'hours' });
    // As if the server was down for ten days: the schedule still points to a slot long past.
    await ctx.db.updateTable('schedules').set({ next_due_at: sql<Date>`now() - interval '10 days'` }).where('connection_id', '=', c.id).execute();
    expect(await enqueueDueSlots(ctx)).toBe(1);
    expect(await enqueueDueSlots(ctx)).toBe(0);
    const runs = await ctx.db.selectFrom('runs').select(['slot_at', 'trigger']).where('connection_id', '=', c.id).execute();
    expect(runs).toHaveLength(1);
    expect(runs[0].slot_at!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(Date.now() - runs[0].slot_at!.getTime()).toBeLessThanOrEqual(3600_000);
    const s = await ctx.db.selectFrom('schedules').select('next_due_at').where('connection_id', '=', c.id).executeTakeFirstOrThrow();
    expect(s.next_due_at!.getTime()).toBeGreaterThan(Date.now());
    await ctx.db.updateTable('runs').set({ status: 'cancelled' }).where('connection_id', '=', c.id).execute();
    // Its hourly slots must not fire while the next tests run across a full hour.
    await ctx.db.updateTable('schedules').set({ enabled: false }).where('connection_id', '=', c.id).execute();
  });

  it('executes each of 200 due slots exactly once with two worker processes and two schedulers', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 200; i++) {
      const c = await connection(`Slot ${i}`);
      ids.push(c.id);
      await makeDue(c.id, 'noop');
    }
    const w1 = worker();
    const w2 = worker();
    const s1 = startScheduler(ctx, engineTimings());
    const s2 = startScheduler(ctx, engineTimings());
    try {
      await until(async () => {
        const r = await ctx.db.selectFrom('runs').select(sql<number>`count(*)`.as('n')).where('connection_id', 'in', ids).where('status', 'not in', ['queued', 'running']).executeTakeFirstOrThrow();
        return r.n >= 200;
      }, '200 runs to finish', 90_000);
    } finally {
      await s1.stop();
      await s2.stop();
    }
    const runs = await ctx.db.selectFrom('runs').select(['id', 'status', 'connection_id', 'slot_at', 'error']).where('connection_id', 'in', ids).execute();
    expect(runs).toHaveLength(200);
    expect(new Set(runs.map((r) => r.connection_id)).size).toBe(200);
    expect(runs.filter((r) => r.status !== 'completed')).toEqual([]);
    // The action writes ran-<runId> exclusively: a second execution would have failed the run.
    const markers = (await fs.readdir(dir)).filter((f) => f.startsWith('ran-'));
    const mine = new Set(runs.map((r) => `ran-${r.id}`));
    expect(markers.filter((m) => mine.has(m))).toHaveLength(200);
    const pids = new Set(await Promise.all(runs.map(async (r) => (await fs.readFile(path.join(dir, `ran-${r.id}`), 'utf8')).trim())));
    expect(pids.size).toBeGreaterThanOrEqual(1);
    expect([...pids].every((p) => [String(w1.pid), String(w2.pid)].includes(p))).toBe(true);
    w1.kill('SIGTERM');
    w2.kill('SIGTERM');
  }, 150_000);

  it('kill -9 of a worker mid-run: the run fails (interrupted), maintenance is lifted, the next slot runs', async () => {
    const c = await connection('Crash');
    const w = worker();
    const run = await createOnDemandRun(ctx, actor, { connectionId: c.id, actionId: 'wait-file', disableAccess: true });
    await until(() => exists(path.join(dir, `started-${run.id}`)), 'the run to start in the worker', 60_000);
    expect((await maintenanceRun(ctx, accountId))?.runId).toBe(run.id);
    w.kill('SIGKILL');
    const s = startScheduler(ctx, engineTimings()); // reaps expired leases
    try {
      const failed = await waitForStatus(ctx, accountId, run.id, ['failed', 'completed', 'cancelled']);
      expect(failed.status).toBe('failed');
      expect(failed.error).toMatch(/^interrupted/);
      expect(await maintenanceRun(ctx, accountId)).toBeNull();
      // The next slot of the same action still runs, on another worker.
      await fs.writeFile(path.join(dir, 'release-all'), '');
      const w2 = worker();
      await makeDue(c.id, 'wait-file');
      const next = await until(async () => ctx.db.selectFrom('runs').select(['id', 'status']).where('connection_id', '=', c.id).where('trigger', '=', 'schedule').where('status', '=', 'completed').executeTakeFirst(), 'the next slot to complete', 60_000);
      expect(next.id).toBeGreaterThan(run.id);
      w2.kill('SIGTERM');
    } finally {
      await s.stop();
      await fs.rm(path.join(dir, 'release-all'), { force: true });
    }
  }, 150_000);
});
