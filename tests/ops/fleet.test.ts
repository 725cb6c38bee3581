import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { ChildProcess } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnWorker, until, useTestEngineEnv, waitForStatus } from '../engine/helpers.ts';
useTestEngineEnv();
import { openAppContext } from '../../src/app-context.ts';
import { loadConfig } from '../../src/config.ts';
import { buildApi } from '../../src/api/app.ts';
import type { Api } from '../../src/api/types.ts';
import { createConnection } from '../../src/engine/connections.ts';
import { engineTimings } from '../../src/engine/engine-config.ts';
import { createOnDemandRun } from '../../src/engine/runs.ts';
import { startWorker } from '../../src/engine/worker.ts';
import { createLrsCredential, authenticateLrs } from '../../src/lrs/credentials.ts';
import { storeStatements } from '../../src/lrs/store-statements.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { createAccountWithToken } from '../helpers/api.ts';
import { runLmc } from '../helpers/cli.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { freePort } from './start-harness.ts';

// Issue 18.8: seeing the fleet. Which worker ran a run, liveness and readiness, Prometheus metrics, and a run
// id on every process log line written while a run executes.
const key = crypto.randomBytes(32).toString('base64');
const METRICS_TOKEN = 'scrape-' + crypto.randomBytes(8).toString('hex');
let ctx: TestContext;
let app: Api;
let token: string;
let actor: { accountId: number; userId: number };
let connectionId: number;
const children: ChildProcess[] = [];

beforeAll(async () => {
  ctx = await createTestContext({ LMC_SECRET_KEY: key, LMC_METRICS_TOKEN: METRICS_TOKEN });
  app = await buildApi(ctx);
  const a = await createAccountWithToken(ctx);
  token = a.token;
  actor = { accountId: a.account.id, userId: a.user.id };
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-fleet-'));
  connectionId = (await createConnection(ctx, actor, { connectorId: 'engine-test', name: 'fleet', settings: { dir, apiKey: 'k' } })).id;
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await app?.close();
  await ctx?.destroy();
});

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

describe('seeing the fleet (issue 18.8)', () => {
  it('the worker that ran a run (host, pid) is in the API, the CLI, and its metrics port counts the run', async () => {
    const metricsPort = await freePort();
    const w = spawnWorker(ctx.dbUrl, { LMC_SECRET_KEY: key, LMC_METRICS_PORT: String(metricsPort) });
    children.push(w);
    let out = '';
    w.stdout?.on('data', (d) => (out += String(d)));
    await until(async () => out.includes('started'), 'the worker to start', 60_000);
    expect(out).toContain(`metrics at http://127.0.0.1:${metricsPort}/metrics`);
    const run = await createOnDemandRun(ctx, actor, { connectionId, actionId: 'noop' });
    await waitForStatus(ctx, actor.accountId, run.id, ['completed']);

    const viaApi = await get(`/api/v1/runs/${run.id}`, { authorization: `Bearer ${token}` });
    expect(viaApi.json().worker).toEqual({ host: os.hostname(), pid: w.pid });
    const cli = await runLmc(ctx, ['runs', 'list', '--connection', String(connectionId)]);
    expect(cli.out.split('\n')[0]).toMatch(/\bworker\b/);
    expect(cli.out).toContain(`${os.hostname()}:${w.pid}`);

    // The worker has no API: its own listener serves /health and /metrics (no token configured there).
    const health = await fetch(`http://127.0.0.1:${metricsPort}/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(text).toMatch(/lmc_run_duration_seconds_count\{connector="engine-test",action="noop",status="completed"\} 1/);
    expect(text).toMatch(/lmc_run_records_total\{type="import",kind="read"\} 1/);
    expect(text).toMatch(/lmc_runs\{status="completed"\} \d+/);
    expect(text).toContain('# TYPE lmc_vendor_api_calls_total counter');
    w.kill('SIGTERM');
  }, 120_000);

  it('GET /health answers without the database; GET /ready checks database, migrations and queue (503 naming what is wrong)', async () => {
    expect((await get('/health')).json()).toEqual({ status: 'ok' });
    // A probe allows each check 3 s; a loaded test machine may miss that once, as a probe may in production.
    let ready = await get('/ready');
    for (let i = 0; i < 4 && ready.statusCode !== 200; i++) ready = await get('/ready');
    expect(ready.statusCode, ready.body).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok', queue: 'ok' } });

    const last = await ctx.db.selectFrom('lmc_migrations' as never).select('name' as never).orderBy('name' as never, 'desc').limit(1).executeTakeFirstOrThrow() as { name: string };
    const row = await sql<Record<string, unknown>>`select * from lmc_migrations where name = ${last.name}`.execute(ctx.db);
    await sql`delete from lmc_migrations where name = ${last.name}`.execute(ctx.db);
    await sql`alter schema pgboss rename to pgboss_away`.execute(ctx.db);
    try {
      const r = await get('/ready');
      expect(r.statusCode).toBe(503);
      expect(r.json()).toMatchObject({ status: 'not_ready', checks: { database: 'ok', migrations: '1 migration(s) not applied: run lmc migrate', queue: 'the queue schema cannot be read: run lmc migrate' } });
    } finally {
      await sql`insert into lmc_migrations (name, timestamp) values (${last.name}, ${row.rows[0].timestamp as string})`.execute(ctx.db);
      await sql`alter schema pgboss_away rename to pgboss`.execute(ctx.db);
    }
    expect((await get('/ready')).statusCode).toBe(200);

    // A database that does not answer: the same process is still alive, but not ready.
    const gone = await openAppContext({ config: loadConfig({ LMC_SECRET_KEY: key }), dbUrl: ctx.dbUrl.replace(/:(\d+)\//, `:${await freePort()}/`), log: createLogger('silent'), checkServer: false });
    const goneApp = await buildApi(gone);
    try {
      expect((await goneApp.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      const r = await goneApp.inject({ method: 'GET', url: '/ready' });
      expect(r.statusCode).toBe(503);
      expect(r.json().checks.database).toBe('unreachable');
    } finally {
      await goneApp.close();
      await gone.close();
    }
  });

  it('GET /metrics needs the configured token, and counts HTTP requests, runs by status and LRS statements', async () => {
    const none = await get('/metrics');
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('LMC_ERR_METRICS_TOKEN');
    expect((await get('/metrics', { authorization: 'Bearer wrong' })).statusCode).toBe(401);
    // A user's API token is not the scrape token.
    expect((await get('/metrics', { authorization: `Bearer ${token}` })).statusCode).toBe(401);

    const cred = await createLrsCredential(ctx.db, actor.accountId, { name: 'metrics', scopes: ['write', 'read'] });
    const principal = await authenticateLrs(ctx.db, `Basic ${Buffer.from(`${cred.key}:${cred.secret}`).toString('base64')}`);
    await storeStatements(ctx.pool, principal, '2.0.0', [
      { actor: { mbox: 'mailto:a@x.test' }, verb: { id: 'http://adlnet.gov/expapi/verbs/completed' }, object: { id: 'http://x.test/a' } },
      { actor: { mbox: 'mailto:b@x.test' }, verb: { id: 'http://adlnet.gov/expapi/verbs/completed' }, object: { id: 'http://x.test/a' } },
    ]);
    const m = await get('/metrics', { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(m.statusCode).toBe(200);
    expect(m.headers['content-type']).toContain('text/plain');
    expect(m.body).toMatch(/lmc_http_requests_total\{method="GET",route="\/api\/v1\/runs\/:id",status="200"\} 1/);
    expect(m.body).toMatch(/lmc_http_requests_total\{method="GET",route="\/ready",status="503"\} [12]/);
    expect(m.body).toMatch(/lmc_runs\{status="completed"\} 1/);
    expect(m.body).toMatch(/lmc_queue_jobs\{state="\w+"\} \d+/);
    expect(m.body).toMatch(/lmc_lrs_statements_stored_total 2/);
    expect(m.body).toContain('lmc_process_cpu_seconds_total');
  });

  it('without LMC_METRICS_TOKEN the API port does not serve /metrics (coded 404)', async () => {
    const plain = await openAppContext({ config: loadConfig({ LMC_SECRET_KEY: key }), dbUrl: ctx.dbUrl, log: createLogger('silent') });
    const plainApp = await buildApi(plain);
    try {
      const r = await plainApp.inject({ method: 'GET', url: '/metrics' });
      expect(r.statusCode).toBe(404);
      expect(r.json().error.code).toBe('LMC_ERR_METRICS_OFF');
    } finally {
      await plainApp.close();
      await plain.close();
    }
  });

  it('every process log line written while a run executes carries its run id and worker, whoever writes it', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        cb();
      },
    });
    const logged = await openAppContext({ config: loadConfig({ LMC_SECRET_KEY: key }), dbUrl: ctx.dbUrl, log: createLogger('debug', 'lmc', sink) });
    const w = await startWorker(logged, { timings: engineTimings(), id: 'fleet-test-worker' });
    const aside = await createOnDemandRun(ctx, actor, { connectionId, actionId: 'logs-aside' });
    const failing = await createOnDemandRun(ctx, actor, { connectionId, actionId: 'fails' });
    try {
      const done = await waitForStatus(ctx, actor.accountId, aside.id, ['completed']);
      await waitForStatus(ctx, actor.accountId, failing.id, ['failed']);
      // Issue 18.9: a completed run's progress is complete, not "0/1 applying".
      expect(done.progress).toEqual({ done: 1, total: 1, phase: null });
    } finally {
      await w.stop();
      await logged.close();
    }
    const fromService = lines.find((l) => l.msg === 'written by a service the run calls');
    expect(fromService).toMatchObject({ runId: aside.id, worker: 'fleet-test-worker', fixture: true });
    const failed = lines.find((l) => l.msg === 'run failed');
    expect(failed).toMatchObject({ runId: failing.id, worker: 'fleet-test-worker', connector: 'engine-test', action: 'fails' });
    // No line names its run twice (a child logger's binding beside the scope's field).
    expect(lines.filter((l) => l.runId !== undefined).every((l) => typeof l.runId === 'number')).toBe(true);
  });
});
