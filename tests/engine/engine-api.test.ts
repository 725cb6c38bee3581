import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEngineEnv, until, waitForStatus } from './helpers.ts';
useTestEngineEnv();
import { apiClient, buildApi, createAccountWithToken } from '../helpers/api.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import type { Api } from '../../src/api/types.ts';
import Fastify from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { installAuth } from '../../src/api/auth.ts';
import { installErrorHandler } from '../../src/api/error-handler.ts';
import { startWorker, type WorkerHandle } from '../../src/engine/worker.ts';
import { engineTimings } from '../../src/engine/engine-config.ts';
import { enqueueDueSlots } from '../../src/engine/scheduler.ts';
import { sql } from 'kysely';

let ctx: TestContext;
let app: Api;
let worker: WorkerHandle;
let dir: string;
let admin: ReturnType<typeof apiClient>;
let accountId: number;
let token: string;

beforeAll(async () => {
  ctx = await createTestContext({ LMC_LOG_LEVEL: 'silent' });
  app = await buildApi(ctx);
  worker = await startWorker(ctx, { timings: engineTimings() });
  const a = await createAccountWithToken(ctx);
  admin = apiClient(app, a.token);
  accountId = a.account.id;
  token = a.token;
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-engine-'));
});
afterAll(async () => {
  await worker?.stop();
  await app?.close();
  await ctx?.destroy();
});

async function newConnection(name: string, extra: Record<string, unknown> = {}) {
  const r = await admin.post('/api/v1/connections', { connectorId: 'engine-test', name, settings: { dir, apiKey: 'SUPER-SECRET-KEY-1', ...extra } });
  expect(r.statusCode, r.body).toBe(201);
  return r.data;
}

async function runNow(connectionId: number, actionId: string, more: Record<string, unknown> = {}) {
  const r = await admin.post('/api/v1/runs', { connectionId, actionId, ...more });
  expect(r.statusCode, r.body).toBe(202);
  return r.data;
}

describe('connectors and connections', () => {
  it('lists connectors with their actions and describes settings with secret fields marked', async () => {
    const list = await admin.get('/api/v1/connectors');
    expect(list.statusCode).toBe(200);
    const ids = list.data.connectors.map((c: { id: string }) => c.id);
    expect(ids).toContain('local-directory');
    expect(ids).toContain('engine-test');
    const one = await admin.get('/api/v1/connectors/engine-test');
    expect(one.data.secretFields).toEqual(['apiKey', 'auth.password']);
    expect(one.data.settingsSchema.properties.apiKey.secret).toBe(true);
  });

  it('never returns or stores a secret in clear, and keeps it when an update does not resend it', async () => {
    const c = await newConnection('Secrets', { auth: { user: 'u', password: 'NESTED-PASSWORD-9' } });
    const all = JSON.stringify([c, (await admin.get(`/api/v1/connections/${c.id}`)).data, (await admin.get('/api/v1/connections')).data]);
    expect(all).not.toContain('SUPER-SECRET-KEY-1');
    expect(all).not.toContain('NESTED-PASSWORD-9');
    expect(c.secrets).toEqual({ apiKey: true, 'auth.password': true });
    const row = await ctx.db.selectFrom('connections').select('settings').where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row.settings)).not.toContain('SUPER-SECRET-KEY-1');
    expect(JSON.stringify(row.settings)).not.toContain('NESTED-PASSWORD-9');
    // Update without resending the secret: the run still sees the old one.
    const up = await admin.patch(`/api/v1/connections/${c.id}`, { settings: { dir, auth: { user: 'u2' } } });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.data.settings.auth).toEqual({ user: 'u2' });
    const run = await runNow(c.id, 'wait-file');
    await fs.writeFile(path.join(dir, `release-${run.id}`), '');
    const done = await waitForStatus(ctx, accountId, run.id, ['completed', 'failed']);
    expect(done.status, done.error ?? '').toBe('completed');
    const detail = (await admin.get(`/api/v1/runs/${run.id}`)).data;
    expect(detail.log.find((l: { message: string }) => l.message === 'waiting').data).toEqual({ apiKeyLength: 'SUPER-SECRET-KEY-1'.length });
    // Nowhere in the database in clear.
    const dump = await ctx.pool.query(`select string_agg(t::text, '') as s from (select * from connections) t`);
    const logs = await ctx.pool.query(`select coalesce(string_agg(t::text, ''), '') as s from (select * from run_logs union all select * from run_logs) t`);
    expect(dump.rows[0].s + logs.rows[0].s).not.toContain('SUPER-SECRET-KEY-1');
  });

  it('validates settings and names the field', async () => {
    const r = await admin.post('/api/v1/connections', { connectorId: 'engine-test', name: 'Bad', settings: { dir } });
    expect(r.statusCode).toBe(400);
    expect(r.data.error.code).toBe('LMC_ERR_CONNECTION_INVALID_SETTINGS');
    expect(r.data.error.field).toBe('settings.apiKey');
  });

  it('documents the engine endpoints in the generated OpenAPI', async () => {
    const spec = (await apiClient(app).get('/openapi.json')).data;
    for (const p of ['/api/v1/connectors', '/api/v1/connections/{id}', '/api/v1/runs', '/api/v1/runs/{id}/errors.csv', '/api/v1/connections/{id}/actions/{actionId}/schedule', '/api/v1/notifications']) {
      expect(Object.keys(spec.paths)).toContain(p);
    }
  });

  it('tests a connection', async () => {
    const c = await newConnection('Testable');
    expect((await admin.post(`/api/v1/connections/${c.id}/test`)).data).toEqual({ ok: true, message: 'ok' });
  });

  it('refuses connector endpoints to a learner token (403)', async () => {
    const l = await createAccountWithToken(ctx, { roles: ['learner'], email: 'learner@acme.test' });
    const learner = apiClient(app, l.token);
    for (const [m, u] of [['GET', '/api/v1/connectors'], ['GET', '/api/v1/connections'], ['POST', '/api/v1/runs'], ['GET', '/api/v1/runs']] as const) {
      const r = m === 'GET' ? await learner.get(u) : await learner.post(u, { connectionId: 1, actionId: 'noop' });
      expect(r.statusCode, u).toBe(403);
      expect(r.data.error.code).toBe('LMC_ERR_COMMON_FORBIDDEN');
    }
  });
});

describe('runs', () => {
  it('records rejects as a CSV error report, attachments, counts and a notification', async () => {
    const c = await newConnection('Rejecting');
    const run = await runNow(c.id, 'rejects');
    const done = await waitForStatus(ctx, accountId, run.id, ['completed_with_errors', 'failed']);
    expect(done.status).toBe('completed_with_errors');
    expect(done.counts).toMatchObject({ read: 3, created: 1, rejected: 2 });
    const csv = await admin.get(`/api/v1/runs/${run.id}/errors.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toBe('source,line,record_id,field,reason\nusers.csv,2,a@x.test,email,"bad, ""quoted"" email"\nusers.csv,4,,,missing name\n');
    const file = await admin.get(`/api/v1/runs/${run.id}/files/change-set.csv`);
    expect(file.body).toBe('email,change\nb@x.test,create\n');
    const notes = (await admin.get('/api/v1/notifications')).data.notifications;
    expect(notes.find((n: { runId: number }) => n.runId === run.id).kind).toBe('run_completed_with_errors');
  });

  it('fails a run whose action throws, with the error', async () => {
    const c = await newConnection('Failing');
    const run = await runNow(c.id, 'fails');
    const done = await waitForStatus(ctx, accountId, run.id, ['failed']);
    expect(done.error).toBe('the vendor said no');
  });

  it('stops in needs_approval, then runs approved; or is refused', async () => {
    const c = await newConnection('Approvals');
    await admin.put(`/api/v1/connections/${c.id}/actions/rejects/settings`, { options: { approval: true } });
    const run = await runNow(c.id, 'rejects');
    const waiting = await waitForStatus(ctx, accountId, run.id, ['needs_approval', 'failed']);
    expect(waiting.status).toBe('needs_approval');
    expect(waiting.approval).toEqual({ reason: 'would suspend 2 users', summary: { suspend: 2 } });
    const ok = await admin.post(`/api/v1/runs/${run.id}/approve`);
    expect(ok.statusCode, ok.body).toBe(202);
    const done = await waitForStatus(ctx, accountId, run.id, ['completed_with_errors', 'failed']);
    expect(done.approved).toBe(true);
    expect(done.counts.created).toBe(1);
    // Both executions' logs are kept, in order (the second continues the numbering).
    const log = (await admin.get(`/api/v1/runs/${run.id}`)).data.log;
    expect(log.filter((l: { message: string }) => l.message === 'checking 3 records')).toHaveLength(2);
    expect(log.map((l: { seq: number }) => l.seq)).toEqual([...log.map((l: { seq: number }) => l.seq)].sort((a, b) => a - b));
    const again = await admin.post(`/api/v1/runs/${run.id}/approve`);
    expect(again.data.error.code).toBe('LMC_ERR_RUN_NOT_AWAITING_APPROVAL');
    const run2 = await runNow(c.id, 'rejects');
    await waitForStatus(ctx, accountId, run2.id, ['needs_approval']);
    const refused = await admin.post(`/api/v1/runs/${run2.id}/reject`);
    expect(refused.data.status).toBe('cancelled');
  });

  it('cancels a running run', async () => {
    const c = await newConnection('Cancel');
    const run = await runNow(c.id, 'wait-file');
    await until(() => fs.stat(path.join(dir, `started-${run.id}`)).then(() => true, () => false), 'the run to start');
    const r = await admin.post(`/api/v1/runs/${run.id}/cancel`);
    expect(r.statusCode).toBe(200);
    const done = await waitForStatus(ctx, accountId, run.id, ['cancelled', 'failed', 'completed']);
    expect(done.status).toBe('cancelled');
    expect((await admin.post(`/api/v1/runs/${run.id}/cancel`)).data.error.code).toBe('LMC_ERR_RUN_NOT_CANCELLABLE');
  });

  it('never overlaps two runs of one action: the second waits and says so', async () => {
    const c = await newConnection('Overlap');
    const a = await runNow(c.id, 'wait-file');
    await until(() => fs.stat(path.join(dir, `started-${a.id}`)).then(() => true, () => false), 'run a to start');
    const b = await runNow(c.id, 'wait-file');
    const waiting = await until(async () => {
      const r = (await admin.get(`/api/v1/runs/${b.id}`)).data;
      return r.note?.startsWith('waiting') ? r : undefined;
    }, 'run b to wait');
    expect(waiting.status).toBe('queued');
    expect(waiting.note).toContain(`run #${a.id}`);
    await fs.writeFile(path.join(dir, `release-${a.id}`), '');
    await until(() => fs.stat(path.join(dir, `started-${b.id}`)).then(() => true, () => false), 'run b to start after a');
    const ra = await waitForStatus(ctx, accountId, a.id, ['completed']);
    await fs.writeFile(path.join(dir, `release-${b.id}`), '');
    const rb = await waitForStatus(ctx, accountId, b.id, ['completed']);
    expect(rb.startedAt!.getTime()).toBeGreaterThanOrEqual(ra.finishedAt!.getTime());
    // Issue 18.9: "waiting: run #a ..." was true while b waited; once b ran, its record and notification no longer say it.
    expect(rb.note).toBeNull();
    const notes = (await admin.get('/api/v1/notifications')).data;
    const ofB = notes.notifications.find((n: { runId: number }) => n.runId === b.id);
    expect(ofB.body).not.toContain('waiting');
  });

  it('continues a scheduled windowed export from the end of the previous successful run', async () => {
    const c = await newConnection('Windowed');
    const first = await runNow(c.id, 'windowed', { since: '2026-01-01T00:00:00Z', until: '2026-02-01T00:00:00Z' });
    await waitForStatus(ctx, accountId, first.id, ['completed']);
    const put = await admin.put(`/api/v1/connections/${c.id}/actions/windowed/schedule`, { startLocal: '2026-01-01T00:00', timeZone: 'Europe/Paris', every: 1, unit: 'days' });
    expect(put.statusCode, put.body).toBe(200);
    await ctx.db.updateTable('schedules').set({ next_due_at: sql<Date>`now() - interval '1 second'` }).where('connection_id', '=', c.id).execute();
    expect(await enqueueDueSlots(ctx)).toBe(1);
    const sched = await until(async () => (await admin.get(`/api/v1/runs?connectionId=${c.id}&trigger=schedule`)).data.runs[0], 'the scheduled run');
    const done = await waitForStatus(ctx, accountId, sched.id, ['completed', 'failed']);
    expect(done.window.since?.toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(done.window.until!.getTime()).toBeGreaterThan(done.window.since!.getTime());
    const bad = await admin.put(`/api/v1/connections/${c.id}/actions/rejects/schedule`, { startLocal: '2026-01-01T00:00', timeZone: 'Mars/Olympus', every: 1, unit: 'days' });
    expect(bad.data.error.code).toBe('LMC_ERR_SCHEDULE_BAD_TIME_ZONE');
    const hours = await admin.put(`/api/v1/connections/${c.id}/actions/rejects/schedule`, { startLocal: '2026-01-01T00:00', timeZone: 'UTC', every: 1, unit: 'hours' });
    expect(hours.data.error.code).toBe('LMC_ERR_SCHEDULE_UNIT_NOT_ALLOWED');
  });

  it('re-runs only the latest run of an action', async () => {
    const c = await newConnection('Rerun');
    const first = await runNow(c.id, 'noop');
    await waitForStatus(ctx, accountId, first.id, ['completed']);
    const second = await runNow(c.id, 'noop');
    await waitForStatus(ctx, accountId, second.id, ['completed']);
    const refused = await admin.post(`/api/v1/runs/${first.id}/rerun`);
    expect(refused.statusCode).toBe(409);
    expect(refused.data.error.code).toBe('LMC_ERR_RUN_NOT_LATEST');
    const again = await admin.post(`/api/v1/runs/${second.id}/rerun`);
    expect(again.statusCode, again.body).toBe(202);
    expect(again.data).toMatchObject({ trigger: 'rerun', rerunOf: second.id });
    await waitForStatus(ctx, accountId, again.data.id, ['completed']);
  });

  it('keeps the history when a connection is deleted and shows it again when re-created', async () => {
    const c = await newConnection('History');
    const run = await runNow(c.id, 'noop');
    await waitForStatus(ctx, accountId, run.id, ['completed']);
    expect((await admin.delete(`/api/v1/connections/${c.id}`)).statusCode).toBe(204);
    expect((await admin.get(`/api/v1/connections/${c.id}`)).statusCode).toBe(404);
    const c2 = await newConnection('history'); // names are case-insensitive
    const hist = (await admin.get(`/api/v1/runs?connectionId=${c2.id}`)).data.runs;
    expect(hist.map((r: { id: number }) => r.id)).toEqual([run.id]);
    const other = await newConnection('Unrelated');
    expect((await admin.get(`/api/v1/runs?connectionId=${other.id}`)).data.runs).toEqual([]);
  });

  it('puts the learner-facing API in maintenance during a "disable access" run, lifted when it ends', async () => {
    // A learner-facing route on a bare app with the product's auth and error handling.
    const learnerApp = Fastify().withTypeProvider<ZodTypeProvider>() as unknown as Api;
    learnerApp.decorate('ctx', ctx);
    installErrorHandler(learnerApp);
    installAuth(learnerApp);
    learnerApp.get('/api/v1/test-learner-page', { config: { learnerFacing: true } }, async () => ({ ok: true }));
    await learnerApp.ready();
    const c = await newConnection('Maintenance');
    const me = apiClient(learnerApp, token);
    const run = await runNow(c.id, 'wait-file', { disableAccess: true });
    await until(() => fs.stat(path.join(dir, `started-${run.id}`)).then(() => true, () => false), 'the run to start');
    const during = await me.get('/api/v1/test-learner-page');
    expect(during.statusCode).toBe(503);
    expect(during.headers['retry-after']).toBeDefined();
    expect(during.data.error.code).toBe('LMC_ERR_COMMON_MAINTENANCE');
    await fs.writeFile(path.join(dir, `release-${run.id}`), '');
    await waitForStatus(ctx, accountId, run.id, ['completed']);
    expect((await me.get('/api/v1/test-learner-page')).statusCode).toBe(200);
    await learnerApp.close();
  });
});
