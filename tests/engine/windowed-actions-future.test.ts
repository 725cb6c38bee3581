import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEngineEnv, waitForStatus } from './helpers.ts';
useTestEngineEnv();
// Workday pages are parsed in one go; the fast lease of the engine tests is not what this file tests.
process.env.LMC_RUN_LEASE_MS = '30000';
process.env.LMC_RUN_HEARTBEAT_MS = '500';
import { buildApi } from '../../src/api/app.ts';
import { historyKeyOf } from '../../src/engine/connections.ts';
import { engineTimings } from '../../src/engine/engine-config.ts';
import { enqueueDueSlots } from '../../src/engine/scheduler.ts';
import { startWorker, type WorkerHandle } from '../../src/engine/worker.ts';
import { createXapiExportConfig } from '../../src/pipelines/export-xapi/export-config.ts';
import { apiClient, createAccountWithToken } from '../helpers/api.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { simSettings, startWorkdayStack } from '../connectors/workday/workday-fixture.ts';
import { startSalesforceStack } from '../connectors/salesforce/salesforce-stack.ts';
import type { AppContext } from '../../src/app-context.ts';

// Issue 19.1, for every windowed action: (a) an on-demand run whose window ends in the future is refused through
// the API and creates no run; (b) a run stored by an older version with a window ending in the future does not
// make the next scheduled window empty or backwards: that window starts when the stored run ran (where its data
// really ended) and ends at the scheduled run's own time. Each action runs on its real connection (local
// directory, the Workday simulator, the Salesforce simulator) through the real API, scheduler and worker.

const DAY = 86_400_000;

interface Target {
  ctx: AppContext;
  accountId: number;
  admin: ReturnType<typeof apiClient>;
  connectionId: number;
  connectorId: string;
  connectionName: string;
  actionId: string;
}

const runsOf = (t: Target) =>
  t.ctx.db.selectFrom('runs').select(['id', 'trigger']).where('connection_id', '=', t.connectionId).where('action_id', '=', t.actionId).orderBy('id').execute();

/** (a) an `until` a day ahead is refused with LMC_ERR_RUN_FUTURE_WINDOW; no run is created. */
async function refusesFutureUntil(t: Target): Promise<void> {
  const before = await runsOf(t);
  const now = Date.now();
  const res = await t.admin.post('/api/v1/runs', { connectionId: t.connectionId, actionId: t.actionId, since: new Date(now - DAY).toISOString(), until: new Date(now + DAY).toISOString() });
  expect(res.statusCode, res.body).toBe(400);
  expect(res.data.error.code).toBe('LMC_ERR_RUN_FUTURE_WINDOW');
  expect(await runsOf(t)).toEqual(before);
}

/** (b) a stored run with a window ending 30 days ahead, then the next scheduled run of the action. */
async function nextScheduledWindowAfterFutureEnd(t: Target): Promise<void> {
  const now = Date.now();
  const storedRanAt = new Date(now - 2 * DAY);
  // As an older version left it: an on-demand run, completed, whose window ends a month after it ran.
  await t.ctx.db.insertInto('runs').values({
    account_id: t.accountId, connection_id: t.connectionId, history_key: historyKeyOf(t.connectorId, t.connectionName), connector_id: t.connectorId,
    action_id: t.actionId, type: 'export', trigger: 'on_demand', status: 'completed', window_since: new Date(now - 10 * DAY), window_until: new Date(now + 30 * DAY),
    started_at: storedRanAt, finished_at: new Date(storedRanAt.getTime() + 1000), options: '{}',
  }).execute();
  // A daily schedule, through the API; its next slot is made due now, and the scheduler queues it.
  const startLocal = new Date(now - 3 * DAY).toISOString().slice(0, 16);
  const put = await t.admin.put(`/api/v1/connections/${t.connectionId}/actions/${t.actionId}/schedule`, { enabled: true, startLocal, timeZone: 'UTC', every: 1, unit: 'days' });
  expect(put.statusCode, put.body).toBe(200);
  await t.ctx.db.updateTable('schedules').set({ next_due_at: new Date(now - 60_000) }).where('connection_id', '=', t.connectionId).where('action_id', '=', t.actionId).execute();
  expect(await enqueueDueSlots(t.ctx)).toBe(1);
  const queued = (await runsOf(t)).filter((r) => r.trigger === 'schedule');
  expect(queued).toHaveLength(1);
  const done = await waitForStatus(t.ctx, t.accountId, queued[0].id, ['completed', 'completed_with_errors', 'failed', 'cancelled']);
  expect([done.status, done.error]).toEqual(['completed', null]);
  // Ends at the run's own time; starts where the stored run's data really ended (when it ran), not a month ahead.
  expect(done.window.until?.toISOString()).toBe(done.startedAt?.toISOString());
  expect(done.window.since?.toISOString()).toBe(storedRanAt.toISOString());
  expect(done.window.since!.getTime()).toBeLessThan(done.window.until!.getTime());
  await t.admin.delete(`/api/v1/connections/${t.connectionId}/actions/${t.actionId}/schedule`);
}

describe('windowed actions on a local directory: a window never ends in the future', () => {
  let ctx: TestContext;
  let worker: WorkerHandle;
  let app: Awaited<ReturnType<typeof buildApi>>;
  let dir: string;
  const targets: Record<string, Target> = {};

  beforeAll(async () => {
    ctx = await createTestContext();
    app = await buildApi(ctx);
    worker = await startWorker(ctx, { timings: engineTimings() });
    const a = await createAccountWithToken(ctx, { email: 'admin@acme.test' });
    const admin = apiClient(app, a.token);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-windowed-future-'));
    const config = await createXapiExportConfig(ctx.db, a.account.id, { name: 'Activity', columns: [{ path: 'id', column: 'id' }] });
    const cases: Array<[string, Record<string, unknown>]> = [
      ['export-xapi', { configurationId: config.id, location: 'xapi' }],
      ['export-user-skills', { location: 'skills' }],
      ['export-learner-transcripts', { location: 'transcripts' }],
    ];
    for (const [actionId, options] of cases) {
      // One connection per action: the stored run of one action must not be another's history.
      const name = `Drop ${actionId}`;
      const c = await admin.post('/api/v1/connections', { connectorId: 'local-directory', name, settings: { root: dir } });
      expect(c.statusCode, c.body).toBe(201);
      const o = await admin.put(`/api/v1/connections/${c.data.id}/actions/${actionId}/settings`, { options });
      expect(o.statusCode, o.body).toBe(200);
      targets[actionId] = { ctx, accountId: a.account.id, admin, connectionId: c.data.id, connectorId: 'local-directory', connectionName: name, actionId };
    }
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await app?.close();
    await ctx?.destroy();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  for (const actionId of ['export-xapi', 'export-user-skills', 'export-learner-transcripts']) {
    it(`${actionId}: an on-demand window ending in the future is refused and creates no run`, async () => {
      await refusesFutureUntil(targets[actionId]);
    }, 60_000);
    it(`${actionId}: after a stored window ending in the future, the next scheduled window runs from when that run ran to now`, async () => {
      await nextScheduledWindowAfterFutureEnd(targets[actionId]);
    }, 60_000);
  }
});

/** The two tests of one action on a connection of its own; start() sets it up, its stop() ends it. */
function describeWindowedAction(title: string, start: () => Promise<{ target: Target; stop(): Promise<void> }>): void {
  describe(`${title}: a window never ends in the future`, () => {
    let started: Awaited<ReturnType<typeof start>> | undefined;
    beforeAll(async () => {
      started = await start();
    }, 120_000);
    afterAll(async () => {
      await started?.stop();
    });
    it('an on-demand window ending in the future is refused and creates no run', async () => {
      await refusesFutureUntil(started!.target);
    }, 60_000);
    it('after a stored window ending in the future, the next scheduled window runs from when that run ran to now', async () => {
      await nextScheduledWindowAfterFutureEnd(started!.target);
    }, 60_000);
  });
}

describeWindowedAction('Workday export-user-skills', async () => {
  const stack = await startWorkdayStack({ workers: 3 });
  const { ctx, admin, accountId } = stack.stack;
  const name = 'Workday';
  const c = await admin.post('/api/v1/connections', { connectorId: 'workday', name, settings: simSettings(stack.sim) });
  expect(c.statusCode, c.body).toBe(201);
  return { target: { ctx, accountId, admin, connectionId: c.data.id, connectorId: 'workday', connectionName: name, actionId: 'export-user-skills' }, stop: () => stack.stop() };
});

describeWindowedAction('Salesforce export-learning-records', async () => {
  const s = await startSalesforceStack({ users: 2, contacts: 1 });
  const name = 'Org';
  const connectionId = await s.connect(name);
  return { target: { ctx: s.ctx, accountId: s.accountId, admin: s.admin, connectionId, connectorId: 'salesforce', connectionName: name, actionId: 'export-learning-records' }, stop: () => s.stop() };
});
