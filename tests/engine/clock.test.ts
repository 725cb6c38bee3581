import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEngineEnv, waitForStatus } from './helpers.ts';
useTestEngineEnv();
import { createAccountWithToken } from '../helpers/api.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { createConnection } from '../../src/engine/connections.ts';
import { engineTimings } from '../../src/engine/engine-config.ts';
import { createOnDemandRun, getRun } from '../../src/engine/runs.ts';
import { RunErrors } from '../../src/engine/errors.ts';
import { enqueueDueSlots } from '../../src/engine/scheduler.ts';
import { putSchedule } from '../../src/engine/schedules.ts';
import { startWorker } from '../../src/engine/worker.ts';
import type { Clock } from '../../src/shared/clock.ts';

// The engine reads "now" from the app clock: pinned here on the night Europe/Paris moves to summer time
// (2027-03-28, 02:00 CET -> 03:00 CEST at 01:00 UTC), whatever day the suite runs.
let at = new Date('2027-03-27T12:00:00Z');
const clock: Clock = { now: () => new Date(at) };
let ctx: TestContext;
let actor: { accountId: number; userId: number };
let dir: string;

beforeAll(async () => {
  ctx = await createTestContext({ LMC_SECRET_KEY: crypto.randomBytes(32).toString('base64') }, { clock });
  const a = await createAccountWithToken(ctx);
  actor = { accountId: a.account.id, userId: a.user.id };
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-clock-'));
});
afterAll(async () => {
  await ctx?.destroy();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('the app clock', () => {
  it('places schedule slots from the app clock, across the spring-forward night', async () => {
    const c = await createConnection(ctx, actor, { connectorId: 'engine-test', name: 'Nightly', settings: { dir, apiKey: 'k' } });
    const s = await putSchedule(ctx, actor.accountId, c.id, 'noop', { enabled: true, startLocal: '2027-03-20T02:30', timeZone: 'Europe/Paris', every: 1, unit: 'days' });
    // 02:30 does not exist on 28 March in Paris: the slot moves forward by the gap, to 03:30 CEST = 01:30 UTC.
    expect(s.nextDueAt?.toISOString()).toBe('2027-03-28T01:30:00.000Z');
    expect(await enqueueDueSlots(ctx)).toBe(0);

    at = new Date('2027-03-28T01:45:00Z');
    expect(await enqueueDueSlots(ctx)).toBe(1);
    const run = await ctx.db.selectFrom('runs').select(['slot_at', 'trigger']).where('connection_id', '=', c.id).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ trigger: 'schedule', slot_at: new Date('2027-03-28T01:30:00Z') });
    const next = await ctx.db.selectFrom('schedules').select('next_due_at').where('connection_id', '=', c.id).executeTakeFirstOrThrow();
    expect(next.next_due_at?.toISOString()).toBe('2027-03-29T00:30:00.000Z'); // 02:30 CEST
    await ctx.db.updateTable('runs').set({ status: 'cancelled' }).where('connection_id', '=', c.id).execute();
  });

  it('stamps a run and ends its window at the app clock', async () => {
    at = new Date('2027-10-31T00:59:30Z'); // half a minute before Paris goes back to winter time
    const c = await createConnection(ctx, actor, { connectorId: 'engine-test', name: 'Windowed', settings: { dir, apiKey: 'k' } });
    const worker = await startWorker(ctx, { timings: engineTimings() });
    try {
      const queued = await createOnDemandRun(ctx, actor, { connectionId: c.id, actionId: 'windowed', since: new Date('2027-10-01T00:00:00Z') });
      const done = await waitForStatus(ctx, actor.accountId, queued.id, ['completed', 'failed']);
      expect(done.status).toBe('completed');
      expect(done.window.until?.toISOString()).toBe('2027-10-31T00:59:30.000Z');
      expect(done.startedAt?.toISOString()).toBe('2027-10-31T00:59:30.000Z');
      expect(done.finishedAt?.toISOString()).toBe('2027-10-31T00:59:30.000Z');
      expect(done.durationMs).toBe(0);
    } finally {
      await worker.stop();
    }
  });

  it('never lets a window end in the future: refused on demand, and a stored one cannot turn later windows backwards', async () => {
    at = new Date('2027-11-10T08:00:00Z');
    const c = await createConnection(ctx, actor, { connectorId: 'engine-test', name: 'Hourly export', settings: { dir, apiKey: 'k' } });
    const future = await createOnDemandRun(ctx, actor, { connectionId: c.id, actionId: 'windowed', since: new Date('2027-11-01T00:00:00Z'), until: new Date('2027-12-01T00:00:00Z') }).catch((e) => e);
    expect(RunErrors.FUTURE_WINDOW.is(future)).toBe(true);
    // A run stored by an older version with a window ending a month ahead.
    const r = await ctx.db.insertInto('runs').values({ account_id: actor.accountId, connection_id: c.id, history_key: 'engine-test/hourly export', connector_id: 'engine-test', action_id: 'windowed',
      type: 'export', trigger: 'on_demand', status: 'completed', window_since: new Date('2027-11-01T00:00:00Z'), window_until: new Date('2027-12-10T00:00:00Z'),
      started_at: new Date('2027-11-05T00:00:00Z'), finished_at: new Date('2027-11-05T00:00:01Z'), options: '{}' }).returning('id').executeTakeFirstOrThrow();
    expect(r.id).toBeGreaterThan(0);
    await putSchedule(ctx, actor.accountId, c.id, 'windowed', { enabled: true, startLocal: '2027-11-10T09:00', timeZone: 'UTC', every: 1, unit: 'hours' });
    const worker = await startWorker(ctx, { timings: engineTimings() });
    try {
      for (const hour of ['09:00:10', '10:00:10']) {
        at = new Date(`2027-11-10T${hour}Z`);
        expect(await enqueueDueSlots(ctx)).toBeGreaterThanOrEqual(1); // the first test's nightly schedule may be due too
        const queued = await ctx.db.selectFrom('runs').select('id').where('connection_id', '=', c.id).where('trigger', '=', 'schedule').orderBy('id', 'desc').executeTakeFirstOrThrow();
        const done = await waitForStatus(ctx, actor.accountId, queued.id, ['completed', 'failed']);
        expect(done.status).toBe('completed');
        expect(done.window.until?.toISOString()).toBe(at.toISOString());
        expect(done.window.since!.getTime()).toBeLessThanOrEqual(done.window.until!.getTime());
      }
      // The first slot continues from where the stored run's data really ended (when it ran); the second from the first's end.
      const runs = await ctx.db.selectFrom('runs').select(['window_since', 'window_until']).where('connection_id', '=', c.id).where('trigger', '=', 'schedule').orderBy('id').execute();
      expect(runs[0].window_since?.toISOString()).toBe('2027-11-05T00:00:00.000Z');
      expect(runs[1].window_since?.toISOString()).toBe(runs[0].window_until?.toISOString());
      expect((await getRun(ctx, actor.accountId, r.id)).status).toBe('completed');
    } finally {
      await worker.stop();
    }
  });
});
