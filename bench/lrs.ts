// npm run bench:lrs — the xAPI LRS (issue 5; verb query during and after ingest: issue 13, point 15).
// 1. Fill: BENCH_STATEMENTS (default 1,000,000) statements stored, the missing ones filled in SQL with the
//    shape the LRS writes (first run only: the cluster is kept).
// 2. Ingest: BENCH_CLIENTS concurrent clients (default 8) POST batches of 100 statements to /xapi/statements
//    for BENCH_SECONDS (default 20) against the API running in its own process; prints statements/s.
//    Floor, same run: a plain COPY of the same number of statements, as JSON rows, into a one-column table.
//    Meanwhile one more client sends the verb + since query and the SQL floor read, in turn, one at a time:
//    their p50 / p99 *during* ingest.
// 3. Right after ingest (before autovacuum has analyzed the new rows): the verb + since query and the SQL
//    floor read again, BENCH_QUERIES (default 300) each in turn: p50 / p99 *after* ingest. BENCH_EXPLAIN=1
//    prints EXPLAIN (ANALYZE, BUFFERS) of one verb query and the table's analyze state at that moment.
// 4. Queries: BENCH_QUERIES GETs each of: agent; verb + since; activity with related_activities (limit 100),
//    one at a time; prints p50 / p99. Floor: the plain indexed SQL read of the 100 newest statements.
// Peak RSS of the API process and of this driver. Last line: one JSON object.
// The cluster lives in BENCH_DIR (default /tmp/lmc-bench-lrs) and is reused by the next run (fsync off, as
// the other benches: this measures the LRS, not the disk).
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { startBenchDatabase } from './bench-kit.ts';
import { openDatabase } from '../src/db/database.ts';
import { createLrsCredential } from '../src/lrs/credentials.ts';
import { queryStatements } from '../src/lrs/query-statements.ts';
import { authorityOf } from '../src/lrs/store-statements.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const TARGET = Number(process.env.BENCH_STATEMENTS ?? 1_000_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);
const dir = process.env.BENCH_DIR ?? '/tmp/lmc-bench-lrs';
const AGENTS = 10_000;
const VERBS = 20;
const ACTIVITIES = 2_000;
const ACTIVITIES_PER_COURSE = 20;

const rnd = (n: number) => Math.floor(Math.random() * n);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
/** CPU seconds (user + system) a process has used so far, from /proc. */
const cpuSeconds = (pid: number) => {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
/** CPU seconds of the PostgreSQL cluster's processes (the postmaster's children), from /proc. */
const pgCpuSeconds = (clusterDir: string) => {
  const postmaster = Number(fs.readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let total = 0;
  for (const p of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const f = fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
      if (Number(f[1]) === postmaster || Number(p) === postmaster) total += (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
};
const peakRssMb = (pid: number | 'self') => {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

/** A statement like the ones course players send: actor, verb, activity with a name, course parent, result. */
function makeStatement(): Record<string, unknown> {
  const a = rnd(AGENTS);
  const v = rnd(VERBS);
  const act = rnd(ACTIVITIES);
  return {
    id: crypto.randomUUID(),
    actor: { objectType: 'Agent', name: `Learner ${a}`, mbox: `mailto:learner${a}@example.com` },
    verb: { id: `http://example.com/verbs/v${v}`, display: { 'en-US': `verb ${v}` } },
    object: { objectType: 'Activity', id: `http://example.com/activities/a${act}`, definition: { name: { 'en-US': `Activity ${act}` } } },
    context: { registration: crypto.randomUUID(), contextActivities: { parent: [{ id: `http://example.com/courses/c${Math.floor(act / ACTIVITIES_PER_COURSE)}` }] } },
    result: { score: { scaled: Math.round(Math.random() * 100) / 100 }, completion: true },
    timestamp: new Date().toISOString(),
  };
}

const { server, url } = await startBenchDatabase(dir);
let apiProc: ReturnType<typeof spawn> | undefined;
try {
  const h = openDatabase(url, { max: 4 });
  let account = await h.db.selectFrom('accounts').select('id').where('slug', '=', 'bench-lrs').executeTakeFirst();
  if (!account) account = await h.db.insertInto('accounts').values({ name: 'bench lrs', slug: 'bench-lrs' }).returning('id').executeTakeFirstOrThrow();
  const accountId = account.id;
  const key = await createLrsCredential(h.db, accountId, { name: 'bench', scopes: ['read', 'write'] });
  const auth = 'Basic ' + Buffer.from(`${key.key}:${key.secret}`).toString('base64');

  apiProc = spawn('node', [...(process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean), '--import', 'tsx', 'bench/lrs-serve.ts'], { env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    apiProc!.stdout!.once('data', (d: Buffer) => resolve(JSON.parse(d.toString()).port));
    apiProc!.once('exit', (c) => reject(new Error(`API process exited with ${c}`)));
  });
  const endpoint = `http://127.0.0.1:${port}/xapi`;
  const headers = { Authorization: auth, 'X-Experience-API-Version': '2.0.0', 'Content-Type': 'application/json' };

  // --- 1. fill to TARGET ---------------------------------------------------------------------------------
  const floorClient = new pg.Client(url);
  await floorClient.connect();
  const count = async () => Number((await floorClient.query('select count(*) n from lrs_statements where account_id = $1', [accountId])).rows[0].n);
  let stored = await count();
  if (stored < TARGET) {
    process.stderr.write(`filling ${TARGET - stored} statements in SQL (same shape and indexes as the LRS writes)...\n`);
    const tfill = Date.now();
    const authority = JSON.stringify(authorityOf({ key: key.key, name: 'bench' } as never));
    const authorityKey = `Agent|account:${(authorityOf({ key: key.key, name: 'bench' } as never).account as { homePage: string }).homePage}|${key.key}`;
    const CHUNK = 100_000;
    for (let from = stored; from < TARGET; from += CHUNK) {
      const n = Math.min(CHUNK, TARGET - from);
      await floorClient.query('begin');
      const before = Number((await floorClient.query('select coalesce(max(seq), 0) m from lrs_statements')).rows[0].m);
      // stored spreads the filled statements over the 30 days before now
      await floorClient.query(
        `insert into lrs_statements (account_id, id, stored, actor_key, verb_id, object_activity_id, registration, timestamp, statement)
         select $1, g.id, g.stored, 'Agent|mbox:' || g.mbox, g.verb, g.act, g.reg, g.stored,
           jsonb_build_object('id', g.id, 'actor', jsonb_build_object('objectType', 'Agent', 'name', 'Learner ' || g.a, 'mbox', g.mbox),
             'verb', jsonb_build_object('id', g.verb, 'display', jsonb_build_object('en-US', 'verb ' || g.v)),
             'object', jsonb_build_object('objectType', 'Activity', 'id', g.act, 'definition', jsonb_build_object('name', jsonb_build_object('en-US', 'Activity ' || g.ac))),
             'context', jsonb_build_object('registration', g.reg, 'contextActivities', jsonb_build_object('parent', jsonb_build_array(jsonb_build_object('id', g.course)))),
             'result', jsonb_build_object('score', jsonb_build_object('scaled', round(random()::numeric, 2)), 'completion', true),
             'timestamp', to_jsonb(g.stored), 'stored', to_jsonb(g.stored), 'authority', $2::jsonb, 'version', '2.0.0')
         from (select i, gen_random_uuid() id, gen_random_uuid() reg, i % ${AGENTS} a, i % ${VERBS} v, i % ${ACTIVITIES} ac,
                 'mailto:learner' || (i % ${AGENTS}) || '@example.com' mbox, 'http://example.com/verbs/v' || (i % ${VERBS}) verb,
                 'http://example.com/activities/a' || (i % ${ACTIVITIES}) act, 'http://example.com/courses/c' || ((i % ${ACTIVITIES}) / ${ACTIVITIES_PER_COURSE}) course,
                 date_trunc('milliseconds', now() - interval '30 days' + (i::float8 / ${TARGET}) * interval '30 days' - interval '1 hour') stored
               from generate_series($3::int, $4::int) i) g`,
        [accountId, authority, from, from + n - 1],
      );
      await floorClient.query(
        `insert into lrs_statement_agents (account_id, agent_key, stored, seq, direct)
         select account_id, actor_key, stored, seq, true from lrs_statements where seq > $1
         union all select account_id, $2, stored, seq, false from lrs_statements where seq > $1`,
        [before, authorityKey],
      );
      await floorClient.query(
        `insert into lrs_statement_activities (account_id, activity_id, stored, seq, direct)
         select account_id, object_activity_id, stored, seq, true from lrs_statements where seq > $1
         union all select account_id, statement#>>'{context,contextActivities,parent,0,id}', stored, seq, false from lrs_statements where seq > $1`,
        [before],
      );
      await floorClient.query('commit');
      process.stderr.write(`  ${from + n} / ${TARGET}\n`);
    }
    await floorClient.query('vacuum analyze lrs_statements, lrs_statement_agents, lrs_statement_activities');
    stored = await count();
    process.stderr.write(`filled in ${((Date.now() - tfill) / 1000).toFixed(0)} s\n`);
  }

  const get = async (qsText: string) => {
    const t = performance.now();
    const r = await fetch(`${endpoint}/statements?${qsText}`, { headers });
    const body = (await r.json()) as { statements?: unknown[] };
    if (r.status !== 200 || !Array.isArray(body.statements)) throw new Error(`query failed: ${r.status}`);
    return { ms: performance.now() - t, n: body.statements.length };
  };
  const since = new Date(Date.now() - 24 * 3600_000).toISOString();
  const kinds = {
    agent: () => new URLSearchParams({ agent: JSON.stringify({ mbox: `mailto:learner${rnd(AGENTS)}@example.com` }), limit: '100' }).toString(),
    verb_since: () => new URLSearchParams({ verb: `http://example.com/verbs/v${rnd(VERBS)}`, since, limit: '100' }).toString(),
    activity_related: () => new URLSearchParams({ activity: `http://example.com/courses/c${rnd(ACTIVITIES / ACTIVITIES_PER_COURSE)}`, related_activities: 'true', limit: '100' }).toString(),
  };
  // floor: the plain indexed read of the 100 newest statements, straight from PostgreSQL
  const floorRead = async () => {
    const t = performance.now();
    await floorClient.query('select statement from lrs_statements where account_id = $1 order by stored desc, seq desc limit 100', [accountId]);
    return performance.now() - t;
  };
  /** What autovacuum has done to lrs_statements, and how many rows changed since its last analyze. */
  const analyzeState = async () =>
    (await floorClient.query(`select n_live_tup, n_mod_since_analyze, n_ins_since_vacuum, last_analyze, last_autoanalyze, last_autovacuum
      from pg_stat_user_tables where relname = 'lrs_statements'`)).rows[0] as Record<string, unknown>;
  /** The SQL the LRS runs for one verb + since query (taken from queryStatements). */
  const verbSql = async (from = since) => {
    let captured: { text: string; params: unknown[] } | undefined;
    const recorder = { query: async (text: string, params: unknown[]) => ((captured = { text, params }), { rows: [] }) };
    await queryStatements(recorder as never, accountId, { verb: `http://example.com/verbs/v${rnd(VERBS)}`, since: from, limit: 100 }, undefined, [], '/xapi/statements');
    return captured!;
  };
  /** The verb query's own SQL run straight on PostgreSQL: what the API adds is the rest. */
  const verbSqlRead = async () => {
    const { text, params } = await verbSql();
    const t = performance.now();
    await floorClient.query(text, params);
    return performance.now() - t;
  };
  /** EXPLAIN (ANALYZE, BUFFERS) of the verb + since query's SQL. */
  const explainVerbQuery = async (when: string, from = since) => {
    const captured = await verbSql(from);
    const plan = await floorClient.query(`explain (analyze, buffers) ${captured.text}`, captured.params);
    process.stderr.write(`EXPLAIN of the verb query since ${from} ${when}:\n${plan.rows.map((r) => '  ' + r['QUERY PLAN']).join('\n')}\n`);
  };
  /** What autovacuum workers are doing now. */
  const autovacuumNow = async () =>
    (await floorClient.query(`select query from pg_stat_activity where backend_type = 'autovacuum worker'`)).rows.map((r) => String(r.query));

  // --- 2. ingest, with the verb query and the SQL floor read sampled meanwhile ----------------------------
  // warm-up: one batch per client (JIT, pool, activity definitions)
  await Promise.all(Array.from({ length: CLIENTS }, () => fetch(`${endpoint}/statements`, { method: 'POST', headers, body: JSON.stringify(Array.from({ length: 100 }, makeStatement)) })));
  let sent = 0;
  let failed = 0;
  const clusterDir = path.join(dir, 'pg', 'cluster');
  const cpu0 = cpuSeconds(apiProc.pid!);
  const pg0 = pgCpuSeconds(clusterDir);
  const self0 = process.cpuUsage();
  apiProc.kill('SIGUSR2');
  const t0 = performance.now();
  const until = t0 + SECONDS * 1000;
  // (the sampler's few hundred queries are counted in the CPU per statement below: a few per cent)
  const during = { verb: [] as number[], floor: [] as number[], sql: [] as number[] };
  await Promise.all([
    // one more client: the verb query and the floor read in turn, one at a time, while the others write
    (async () => {
      while (performance.now() < until) {
        during.verb.push((await get(kinds.verb_since())).ms);
        during.floor.push(await floorRead());
        during.sql.push(await verbSqlRead());
      }
    })(),
    ...Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < until) {
        const batch = Array.from({ length: 100 }, makeStatement);
        const r = await fetch(`${endpoint}/statements`, { method: 'POST', headers, body: JSON.stringify(batch) });
        await r.arrayBuffer();
        if (r.status === 200) sent += batch.length;
        else failed++;
      }
    }),
  ]);
  const ingestEnd = performance.now();
  process.stderr.write('during ingest: ');
  apiProc.kill('SIGUSR2');
  const ingestSeconds = (ingestEnd - t0) / 1000;
  const ingestRate = sent / ingestSeconds;
  const apiCpuMsPerStatement = ((cpuSeconds(apiProc.pid!) - cpu0) * 1000) / Math.max(1, sent);
  const dbCpuMsPerStatement = ((pgCpuSeconds(clusterDir) - pg0) * 1000) / Math.max(1, sent);
  const selfCpu = process.cpuUsage(self0);
  const driverCpuMsPerStatement = (selfCpu.user + selfCpu.system) / 1000 / Math.max(1, sent);
  // What the CPU cost per statement allows when this machine's cores serve nothing else (the measured
  // rate above is what we got while the machine was shared; see loadAverage1m).
  const cpuBoundEstimate = (os.cpus().length * 1000) / (apiCpuMsPerStatement + dbCpuMsPerStatement + driverCpuMsPerStatement);
  process.stderr.write(`ingest: ${sent} statements in ${ingestSeconds.toFixed(1)} s = ${Math.round(ingestRate)} statements/s (${CLIENTS} clients, batches of 100, ${failed} failed batches; CPU per statement: API ${apiCpuMsPerStatement.toFixed(3)} ms, PostgreSQL ${dbCpuMsPerStatement.toFixed(3)} ms, clients ${driverCpuMsPerStatement.toFixed(3)} ms)\n`);
  process.stderr.write(`        CPU-bound estimate with ${os.cpus().length} idle cores: ${Math.round(cpuBoundEstimate)} statements/s\n`);

  // --- 3. right after ingest: the verb query and the floor read in turn (statistics as ingest left them) ----
  const statsAfterIngest = await analyzeState();
  if (process.env.BENCH_EXPLAIN === '1') {
    await explainVerbQuery('right after ingest');
    // since the ingest began: only rows the statistics have never seen (beyond the histogram of `stored`)
    await explainVerbQuery('right after ingest', new Date(Date.now() - (performance.now() - t0) - 1000).toISOString());
    process.stderr.write(`autovacuum workers right after ingest: ${JSON.stringify(await autovacuumNow())}\n`);
  }
  const after = { verb: [] as number[], floor: [] as number[], sql: [] as number[], at: [] as number[] };
  for (let i = 0; i < QUERIES; i++) {
    after.at.push((performance.now() - ingestEnd) / 1000);
    after.verb.push((await get(kinds.verb_since())).ms);
    after.floor.push(await floorRead());
    after.sql.push(await verbSqlRead());
  }
  if (process.env.BENCH_EXPLAIN === '1') {
    const slow = after.verb.map((ms, i) => ({ ms: Math.round(ms), at: Math.round(after.at[i] * 10) / 10, floor: Math.round(after.floor[i]), sql: Math.round(after.sql[i]) })).sort((a, b) => b.ms - a.ms).slice(0, 8);
    process.stderr.write(`autovacuum workers at the end of the after-ingest queries: ${JSON.stringify(await autovacuumNow())}; lrs_statements: ${JSON.stringify(await analyzeState())}\n`);
    process.stderr.write(`slowest verb queries after ingest (ms; at = s after ingest; floor and sql = the reads right after it): ${JSON.stringify(slow)}\n`);
  }
  const afterSeconds = (performance.now() - ingestEnd) / 1000;
  process.stderr.write('after ingest: ');
  apiProc.kill('SIGUSR2');
  const sampled = (xs: number[]) => ({ p50: pct(xs, 50), p99: pct(xs, 99), n: xs.length });
  const verbDuring = sampled(during.verb);
  const floorDuring = sampled(during.floor);
  const verbAfter = sampled(after.verb);
  const floorAfter = sampled(after.floor);
  const sqlDuring = sampled(during.sql);
  const sqlAfter = sampled(after.sql);
  process.stderr.write(`verb + since query during ingest: p50 ${verbDuring.p50.toFixed(1)} ms  p99 ${verbDuring.p99.toFixed(1)} ms (${verbDuring.n} queries); floor (SQL read of 100 newest) p50 ${floorDuring.p50.toFixed(1)} ms  p99 ${floorDuring.p99.toFixed(1)} ms\n`);
  process.stderr.write(`verb + since query right after ingest: p50 ${verbAfter.p50.toFixed(1)} ms  p99 ${verbAfter.p99.toFixed(1)} ms (${verbAfter.n} queries in ${afterSeconds.toFixed(1)} s); floor p50 ${floorAfter.p50.toFixed(1)} ms  p99 ${floorAfter.p99.toFixed(1)} ms\n`);
  process.stderr.write(`the verb query's SQL alone: during ingest p50 ${sqlDuring.p50.toFixed(1)} ms  p99 ${sqlDuring.p99.toFixed(1)} ms; after p50 ${sqlAfter.p50.toFixed(1)} ms  p99 ${sqlAfter.p99.toFixed(1)} ms\n`);
  process.stderr.write(`        lrs_statements when they started: ${JSON.stringify(statsAfterIngest)}\n`);

  // floor: COPY of the same number of statements as JSON rows
  await floorClient.query('drop table if exists bench_lrs_floor; create table bench_lrs_floor (doc jsonb not null)');
  const pgf0 = pgCpuSeconds(clusterDir);
  const tf = performance.now();
  let made = 0;
  const rows = new Readable({
    read() {
      for (let i = 0; i < 1000 && made < sent; i++, made++) {
        const s = JSON.stringify({ ...makeStatement(), stored: new Date().toISOString(), authority: authorityOf({ key: key.key, name: 'bench' } as never), version: '2.0.0' });
        this.push(s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t') + '\n');
      }
      if (made >= sent) this.push(null);
    },
  });
  await pipeline(rows, floorClient.query(copyFrom('copy bench_lrs_floor (doc) from stdin')));
  const floorSeconds = (performance.now() - tf) / 1000;
  const floorRate = sent / floorSeconds;
  const floorDbCpuMsPerStatement = ((pgCpuSeconds(clusterDir) - pgf0) * 1000) / Math.max(1, sent);
  await floorClient.query('drop table bench_lrs_floor');
  process.stderr.write(`floor:  COPY of ${sent} statements as JSON rows in ${floorSeconds.toFixed(1)} s = ${Math.round(floorRate)} statements/s (PostgreSQL CPU ${floorDbCpuMsPerStatement.toFixed(3)} ms per statement)\n`);

  // --- 4. each query kind, after the copy floor above ----------------------------------------------------
  stored = await count();
  if (process.env.BENCH_EXPLAIN === '1') await explainVerbQuery(`${((performance.now() - ingestEnd) / 1000).toFixed(0)} s after ingest`);
  const latency: Record<string, { p50: number; p99: number; rows: number }> = {};
  for (const [name, q] of Object.entries(kinds)) {
    for (let i = 0; i < 20; i++) await get(q());
    const ms: number[] = [];
    let rowsSeen = 0;
    for (let i = 0; i < QUERIES; i++) {
      const r = await get(q());
      ms.push(r.ms);
      rowsSeen += r.n;
    }
    latency[name] = { p50: pct(ms, 50), p99: pct(ms, 99), rows: Math.round(rowsSeen / QUERIES) };
  }
  const floorMs: number[] = [];
  for (let i = 0; i < QUERIES; i++) floorMs.push(await floorRead());
  const floorQuery = { p50: pct(floorMs, 50), p99: pct(floorMs, 99) };
  await floorClient.end();
  await h.close();
  const apiRss = peakRssMb(apiProc.pid!);
  const selfRss = peakRssMb('self');
  process.stderr.write(`queries at ${stored} statements (limit 100, ${QUERIES} each, one at a time):\n`);
  for (const [name, l] of Object.entries(latency)) process.stderr.write(`  ${name.padEnd(17)} p50 ${l.p50.toFixed(1)} ms  p99 ${l.p99.toFixed(1)} ms  (${l.rows} statements per page)\n`);
  process.stderr.write(`  floor (SQL read of 100 newest) p50 ${floorQuery.p50.toFixed(1)} ms  p99 ${floorQuery.p99.toFixed(1)} ms\n`);
  process.stderr.write(`verb + since during ingest p99 ${verbDuring.p99.toFixed(1)} ms (floor ${floorDuring.p99.toFixed(1)} ms), right after ingest p99 ${verbAfter.p99.toFixed(1)} ms (floor ${floorAfter.p99.toFixed(1)} ms)\n`);
  process.stderr.write(`load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores\ningest ${Math.round(ingestRate)} statements/s vs floor ${Math.round(floorRate)} statements/s: ratio ${(ingestRate / floorRate).toFixed(2)}; peak RSS API ${apiRss.toFixed(0)} MB, driver ${selfRss.toFixed(0)} MB\n`);
  const r1 = (x: number) => Math.round(x * 10) / 10;
  process.stdout.write(
    JSON.stringify({
      bench: 'lrs',
      clients: CLIENTS,
      seconds: SECONDS,
      ingestStatementsPerSecond: Math.round(ingestRate),
      floorCopyStatementsPerSecond: Math.round(floorRate),
      ratio: Math.round((ingestRate / floorRate) * 100) / 100,
      apiCpuMsPerStatement: Math.round(apiCpuMsPerStatement * 1000) / 1000,
      dbCpuMsPerStatement: Math.round(dbCpuMsPerStatement * 1000) / 1000,
      clientCpuMsPerStatement: Math.round(driverCpuMsPerStatement * 1000) / 1000,
      cpuBoundEstimateStatementsPerSecond: Math.round(cpuBoundEstimate),
      floorDbCpuMsPerStatement: Math.round(floorDbCpuMsPerStatement * 1000) / 1000,
      loadAverage1m: Math.round(os.loadavg()[0] * 10) / 10,
      statementsStored: stored,
      queries: Object.fromEntries(Object.entries(latency).map(([k, v]) => [k, { p50Ms: r1(v.p50), p99Ms: r1(v.p99) }])),
      floorQuery: { p50Ms: r1(floorQuery.p50), p99Ms: r1(floorQuery.p99) },
      verbQueryDuringIngest: { p50Ms: r1(verbDuring.p50), p99Ms: r1(verbDuring.p99), queries: verbDuring.n, floorP50Ms: r1(floorDuring.p50), floorP99Ms: r1(floorDuring.p99), sqlP50Ms: r1(sqlDuring.p50), sqlP99Ms: r1(sqlDuring.p99) },
      verbQueryAfterIngest: { p50Ms: r1(verbAfter.p50), p99Ms: r1(verbAfter.p99), queries: verbAfter.n, floorP50Ms: r1(floorAfter.p50), floorP99Ms: r1(floorAfter.p99), sqlP50Ms: r1(sqlAfter.p50), sqlP99Ms: r1(sqlAfter.p99) },
      lrsStatementsAfterIngest: { modifiedSinceAnalyze: Number(statsAfterIngest.n_mod_since_analyze), lastAutoanalyze: statsAfterIngest.last_autoanalyze ?? null },
      peakRssMb: { api: Math.round(apiRss), driver: Math.round(selfRss) },
    }) + '\n',
  );
} finally {
  apiProc?.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  await server.stop();
}
