// npm run bench:engine — 10,000 no-op runs executed by two `lmc worker` processes, scheduled by the
// product's scheduler (one schedule slot per run, all due at the same minute). Prints runs/s and the
// scheduling lag (due time -> run start) p50/p99 beside the floor measured in the same run: bare pg-boss
// send -> fetch -> complete with no engine logic, on the same database and with the same concurrency.
// Env: BENCH_RUNS (default 10000), DATABASE_URL (else a throw-away embedded PostgreSQL).
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { DateTime } from 'luxon';
import { sql } from 'kysely';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.join(root, 'tests/engine/fixtures');
process.env.LMC_EXTRA_CONNECTOR_DIRS = fixtures;
const { openAppContext } = await import('../src/app-context.ts');
const { loadConfig } = await import('../src/config.ts');
const { startEmbeddedPostgres } = await import('../src/db/embedded.ts');
const { withDatabase } = await import('../src/db/database.ts');
const { prepareDatabase } = await import('../src/db/prepare.ts');
const { createLogger } = await import('../src/shared/logger.ts');
const { startScheduler } = await import('../src/engine/scheduler.ts');
const { openBoss } = await import('../src/engine/queue.ts');

const N = Number(process.env.BENCH_RUNS ?? 10_000);
const WORKERS = 2;
const CONCURRENCY = 4;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};
const freePort = () => new Promise<number>((res) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as net.AddressInfo).port;
    s.close(() => res(p));
  });
});
const vmHwmKb = (pid: number) => {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
};

let serverUrl = process.env.DATABASE_URL;
let stopPg: (() => Promise<void>) | undefined;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lmc-bench-engine-'));
fs.chmodSync(tmp, 0o755); // the embedded cluster runs as the postgres user when we are root
if (!serverUrl) {
  const s = await startEmbeddedPostgres({ dir: path.join(tmp, 'pg'), port: await freePort(), ephemeral: true });
  serverUrl = s.url;
  stopPg = s.stop;
}
const dbName = `bench_engine_${process.pid}`;
const admin = new pg.Client(serverUrl);
await admin.connect();
await admin.query(`drop database if exists ${dbName}`);
await admin.query(`create database ${dbName}`);
await admin.end();
const dbUrl = withDatabase(serverUrl, dbName);
await prepareDatabase(dbUrl);
const secretKey = crypto.randomBytes(32).toString('base64');
const ctx = await openAppContext({ config: loadConfig({ LMC_DATA_DIR: tmp, LMC_SECRET_KEY: secretKey }), dbUrl, log: createLogger('silent') });

// --- floor: bare pg-boss, same database, same total concurrency ---------------------------------------
const floorBoss = await openBoss(dbUrl, { max: WORKERS * CONCURRENCY + 2 });
await floorBoss.createQueue('bench-floor', { name: 'bench-floor', retryLimit: 0 });
const floorJobs = Array.from({ length: N }, (_, i) => ({ name: 'bench-floor', data: { i } }));
for (let i = 0; i < N; i += 1000) await floorBoss.insert(floorJobs.slice(i, i + 1000));
const f0 = performance.now();
let floorDone = 0;
await Promise.all(Array.from({ length: WORKERS * CONCURRENCY }, async () => {
  for (;;) {
    const jobs = await floorBoss.fetch('bench-floor', { batchSize: 1 });
    if (!jobs.length) return;
    await floorBoss.complete('bench-floor', jobs[0].id);
    floorDone++;
  }
}));
const floorSec = (performance.now() - f0) / 1000;
const floorRate = floorDone / floorSec;
// Round trip latency: send one job, fetch it, complete it (sequential).
const rtt: number[] = [];
for (let i = 0; i < 200; i++) {
  const t = performance.now();
  await floorBoss.send('bench-floor', { i });
  const j = await floorBoss.fetch('bench-floor', { batchSize: 1 });
  await floorBoss.complete('bench-floor', j[0].id);
  rtt.push(performance.now() - t);
}
await floorBoss.stop({ graceful: false, wait: true, close: true });

// --- engine: N schedules due at the same minute, two worker processes -----------------------------------
const account = await ctx.db.insertInto('accounts').values({ name: 'Bench', slug: 'bench' }).returning('id').executeTakeFirstOrThrow();
const startedSetup = Date.now();
// The slot: the first whole minute at least 25 s away (schedules are set to the minute).
const slot = DateTime.fromMillis(startedSetup + 20_000, { zone: 'UTC' }).startOf('minute').plus({ minutes: 1 });
const startLocal = slot.toFormat("yyyy-MM-dd'T'HH:mm");
for (let i = 0; i < N; i += 1000) {
  const n = Math.min(1000, N - i);
  await sql`
    with c as (
      insert into connections (account_id, connector_id, name, history_key, settings)
      select ${account.id}, 'engine-test', 'bench ' || g, 'engine-test/bench ' || g, '{}'::jsonb from generate_series(${i}::int, ${i + n - 1}::int) g
      returning id
    )
    insert into schedules (connection_id, action_id, account_id, start_local, time_zone, every_n, unit, next_due_at)
    select id, 'nothing', ${account.id}, ${startLocal}, 'UTC', 1, 'days', ${slot.toJSDate()} from c`.execute(ctx.db);
}
const workerEnv = { ...process.env, DATABASE_URL: dbUrl, LMC_SECRET_KEY: secretKey, LMC_EXTRA_CONNECTOR_DIRS: fixtures, LMC_LOG_LEVEL: 'warn', LMC_WORKER_CONCURRENCY: String(CONCURRENCY), LMC_WORKER_POLL_MS: '100', LMC_DATA_DIR: tmp };
const workers: ChildProcess[] = Array.from({ length: WORKERS }, () => spawn(process.execPath, [path.join(root, 'bin/lmc.js'), 'worker'], { cwd: root, env: workerEnv, stdio: ['ignore', 'ignore', 'inherit'] }));
const scheduler = startScheduler(ctx, { leaseMs: 60_000, heartbeatMs: 15_000, tickMs: 200, pollMs: 100, busyRetryMs: 1000, concurrency: CONCURRENCY });
const waitMs = slot.toMillis() - Date.now();
process.stderr.write(`setup ${((Date.now() - startedSetup) / 1000).toFixed(1)} s; ${N} slots due at ${slot.toISO()} (in ${(waitMs / 1000).toFixed(0)} s)\n`);
let peakWorkerKb = 0;
for (;;) {
  await sleep(500);
  for (const w of workers) peakWorkerKb = Math.max(peakWorkerKb, vmHwmKb(w.pid!));
  const r = await sql<{ done: number }>`select count(*)::int as done from runs where status in ('completed', 'completed_with_errors', 'failed', 'cancelled')`.execute(ctx.db);
  if (r.rows[0].done >= N) break;
  if (Date.now() - slot.toMillis() > 30 * 60_000) throw new Error('benchmark did not finish in 30 minutes');
}
await scheduler.stop();
for (const w of workers) w.kill('SIGTERM');
const rows = (await sql<{ status: string; lag_ms: number; queue_lag_ms: number; started: Date; finished: Date }>`
  select status, extract(epoch from (started_at - slot_at)) * 1000 as lag_ms, extract(epoch from (queued_at - slot_at)) * 1000 as queue_lag_ms,
    started_at as started, finished_at as finished from runs`.execute(ctx.db)).rows;
const enqueueSpanMs = Math.round(Math.max(...rows.map((r) => Number(r.queue_lag_ms))));
const failed = rows.filter((r) => r.status !== 'completed').length;
const lastFinish = Math.max(...rows.map((r) => r.finished.getTime()));
const seconds = (lastFinish - slot.toMillis()) / 1000;
const runsPerSec = rows.length / seconds;
const lags = rows.map((r) => Number(r.lag_ms));
const perRunsRss = Math.round(vmHwmKb(process.pid) / 1024);
await ctx.close();
await new Promise((r) => setTimeout(r, 500));
const admin2 = new pg.Client(serverUrl);
await admin2.connect();
await admin2.query(`drop database if exists ${dbName} with (force)`);
await admin2.end();
if (stopPg) await stopPg();
fs.rmSync(tmp, { recursive: true, force: true });

const result = {
  bench: 'engine',
  runs: rows.length,
  failed,
  workers: WORKERS,
  concurrencyPerWorker: CONCURRENCY,
  seconds: +seconds.toFixed(2),
  runsPerSec: +runsPerSec.toFixed(1),
  lagP50Ms: Math.round(pct(lags, 50)),
  lagP99Ms: Math.round(pct(lags, 99)),
  schedulerEnqueueSpanMs: enqueueSpanMs,
  floorJobsPerSec: +floorRate.toFixed(1),
  floorRoundTripP50Ms: +pct(rtt, 50).toFixed(2),
  floorRoundTripP99Ms: +pct(rtt, 99).toFixed(2),
  ratioToFloor: +(runsPerSec / floorRate).toFixed(3),
  peakRssMb: { bench: perRunsRss, worker: Math.round(peakWorkerKb / 1024) },
};
process.stdout.write(`engine: ${result.runs} no-op runs (${failed} not completed) by ${WORKERS} worker processes x ${CONCURRENCY}: ${result.runsPerSec} runs/s; scheduling lag p50 ${result.lagP50Ms} ms, p99 ${result.lagP99Ms} ms (all ${N} slots due at once: the lag includes the backlog; the scheduler queued the last slot ${enqueueSpanMs} ms after the due time)\n`);
process.stdout.write(`floor: bare pg-boss fetch+complete with ${WORKERS * CONCURRENCY} loops ${result.floorJobsPerSec} jobs/s; send->fetch->complete round trip p50 ${result.floorRoundTripP50Ms} ms, p99 ${result.floorRoundTripP99Ms} ms; engine/floor ${result.ratioToFloor}\n`);
process.stdout.write(`peak RSS: bench process ${result.peakRssMb.bench} MB, worker process ${result.peakRssMb.worker} MB\n`);
process.stdout.write(JSON.stringify(result) + '\n');
process.exit(0);
