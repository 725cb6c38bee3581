// npm run bench:xapi-import — "Import xAPI" of one LMS activity CSV of BENCH_ROWS rows (default 500,000, ~145 MB:
// the file of issue 19) with an 18-mapping configuration (bench/xapi-import-data.ts: every type, a language map,
// IRI-keyed extensions, two date formats in America/Chicago, non-ASCII names, quoted commas; 1% skipped by a
// filter, 0.05% rejected, 0.2% exact repeats), through the engine and the local-directory connector, on a fresh
// embedded PostgreSQL. Each step in its own process (peak RSS of that process, RSS course sampled every 100 ms):
//   dry run:  the same file, nothing stored (its counts must equal the real run's),
//   import:   the first import (every statement new),
//   reimport: the same file again (every statement unchanged),
//   floor:    the rows the import stored (statements, agent and activity index rows, activity definitions),
//             dumped and COPY'd as they are into the same tables for a second account: what storing these
//             statements costs with no CSV, mapping, validation, JSON building or lookups.
// Prints rows/s beside the floor, the ratio and peak RSS; the last line is one JSON object.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { startBenchDatabase } from './bench-kit.ts';
import { CONFIGURATION, FLOOR_TABLES, writeActivityCsv } from './xapi-import-data.ts';
import { openAppContext } from '../src/app-context.ts';
import { loadConfig } from '../src/config.ts';
import { createConnection } from '../src/engine/connections.ts';
import { createXapiImportConfig } from '../src/pipelines/import-xapi/config-service.ts';
import { createAccount } from '../src/platform/accounts.ts';
import { createLogger } from '../src/shared/logger.ts';

const N = Number(process.env.BENCH_ROWS ?? 500_000);
const dir = process.env.BENCH_DIR ?? `/tmp/lmc-bench-xapi-import-${N}`;
const drop = path.join(dir, 'drop');
const inbox = path.join(drop, 'import/xapi');
const stash = path.join(dir, 'lms_activity_2026.csv');
const dumpDir = path.join(dir, 'dump');

/**
 * One step in a process of its own, on a settled database (bench/import.ts): the maintenance the previous step
 * set off (autovacuum of 500k new rows, dirty buffers, the file just copied into the drop) is done first.
 */
async function step(args: string[], env: Record<string, string>): Promise<Record<string, any>> {
  const c = new pg.Client(env.DATABASE_URL);
  await c.connect();
  await c.query('vacuum (analyze) lrs_statements, lrs_statement_agents, lrs_statement_activities, lrs_activities');
  await c.query('checkpoint');
  await c.end();
  execFileSync('sync');
  return new Promise((resolve, reject) =>
    execFile('node', [...prof(args[0]), '--import', 'tsx', 'bench/xapi-import-run.ts', ...args], { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 3600_000 }, (e, out, err) =>
      e ? reject(new Error(`${args.join(' ')} failed: ${err || e.message}`)) : resolve(JSON.parse(out.trim().split('\n').pop()!)),
    ),
  );
}

// BENCH_CPU_PROF=<dir>: each step writes V8 CPU profiles (one per thread) in a folder of its own there (open it in Chrome's DevTools, Performance tab).
const profDir = process.env.BENCH_CPU_PROF;
const prof = (name: string) => (profDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profDir, `${name}-${Date.now()}`)}`] : []);

const restoreFile = () => fsp.copyFile(stash, path.join(inbox, path.basename(stash)));

await fsp.rm(dir, { recursive: true, force: true });
await fsp.mkdir(inbox, { recursive: true });
await fsp.mkdir(dumpDir, { recursive: true });
process.stderr.write(`generating ${N} rows...\n`);
const shape = await writeActivityCsv(stash, N);
const bytes = fs.statSync(stash).size;
process.stderr.write(`${(bytes / 1e6).toFixed(1)} MB: ${JSON.stringify(shape)}\n`);
const expected = { read: N, created: N - shape.skipped - shape.rejected - shape.repeats, unchanged: shape.repeats, skipped: shape.skipped, rejected: shape.rejected };

const { server, url } = await startBenchDatabase(dir);
try {
  // The bench is its own operator: its drop is a folder of /tmp.
  const operator = { LMC_LOCAL_DROP_ROOTS: dir };
  const config = loadConfig({ ...process.env, ...operator, LMC_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: url });
  const ctx = await openAppContext({ config, dbUrl: url, log: createLogger('warn'), poolSize: 2 });
  const account = await createAccount(ctx.db, { name: 'Bench xAPI import' });
  const floorAccount = await createAccount(ctx.db, { name: 'Bench xAPI import floor' });
  const conn = await createConnection(ctx, { accountId: account.id, userId: null }, { connectorId: 'local-directory', name: 'Bench drop', settings: { root: drop } });
  await createXapiImportConfig(ctx, account.id, conn.id, CONFIGURATION);
  const env = { ...operator, DATABASE_URL: url, LMC_LOG_LEVEL: 'warn', LMC_DATA_DIR: path.join(dir, 'data') };
  const importArgs = ['import', String(account.id), String(conn.id)];
  const same = (m: Record<string, any>, want: Record<string, number>) => Object.entries(want).every(([k, v]) => m.counts?.[k] === v);
  const show = (m: Record<string, any>) =>
    `${m.rows} rows in ${(m.ms / 1000).toFixed(1)} s = ${Math.round(m.rows / (m.ms / 1000))} rows/s, peak RSS ${Math.round(m.peakRssMb)} MB, RSS course ${JSON.stringify(m.rssCourseMb)}, max ${JSON.stringify(m.maxMb)}${m.counts ? ` ${JSON.stringify(m.counts)}` : ''}\n`;

  const baseline = await step(['baseline'], env);
  process.stderr.write(`baseline: the process before reading a row, peak RSS ${Math.round(baseline.peakRssMb)} MB\n`);
  await restoreFile();
  const dry = await step([...importArgs, 'dry'], env);
  process.stderr.write(`dry run: ${show(dry)}`);
  if (!same(dry, expected)) throw new Error(`the dry run's counts are not the expected ${JSON.stringify(expected)}: ${JSON.stringify(dry)}`);
  const first = await step(importArgs, env);
  process.stderr.write(`import:  ${show(first)}`);
  if (!same(first, expected)) throw new Error(`the import's counts are not the expected ${JSON.stringify(expected)}: ${JSON.stringify(first)}`);
  if (fs.readdirSync(inbox).length) throw new Error('the processed file was not deleted');
  await restoreFile();
  const again = await step(importArgs, env);
  process.stderr.write(`re-import: ${show(again)}`);
  if (!same(again, { created: 0, unchanged: expected.created + expected.unchanged })) throw new Error(`the re-import created statements: ${JSON.stringify(again)}`);

  // The floor's input: the import's rows as stored, under the floor account (not timed).
  const c = await ctx.pool.connect();
  for (const [table, cols] of FLOOR_TABLES) {
    const select = cols.split(', ').map((col) => (col === 'account_id' ? String(floorAccount.id) : col)).join(', ');
    const order = table === 'lrs_activities' ? 'activity_id' : table === 'lrs_statements' ? 'seq' : 'seq, 2';
    const out = c.query(copyStreams.to(`copy (select ${select} from ${table} where account_id = ${account.id} order by ${order}) to stdout`));
    await pipeline(out, fs.createWriteStream(path.join(dumpDir, `${table}.copy`)));
  }
  c.release();
  const floor = await step(['floor', String(floorAccount.id), dumpDir], env);
  process.stderr.write(`floor:   ${show(floor)}`);
  if (floor.rows !== expected.created) throw new Error(`the floor loaded ${floor.rows} statements, not ${expected.created}`);
  const dumpMb = FLOOR_TABLES.reduce((s, [t]) => s + fs.statSync(path.join(dumpDir, `${t}.copy`)).size, 0) / 1e6;
  await ctx.close();

  const rate = (m: Record<string, any>) => Math.round(m.rows / (m.ms / 1000));
  // The import reads N rows and stores expected.created statements; the floor stores those statements. Both
  // are counted per row of the file, so the ratio compares the time for the same work.
  const floorRowsPerSec = Math.round(N / (floor.ms / 1000));
  const summary = {
    bench: 'xapi-import',
    rows: N,
    csv_mb: +(bytes / 1e6).toFixed(1),
    statements: expected.created,
    seconds: +(first.ms / 1000).toFixed(1),
    rows_per_s: rate(first),
    floor_seconds: +(floor.ms / 1000).toFixed(1),
    floor_rows_per_s: floorRowsPerSec,
    ratio: +(rate(first) / floorRowsPerSec).toFixed(3),
    peak_rss_mb: Math.round(first.peakRssMb),
    rss_course_mb: first.rssCourseMb,
    dry_run_seconds: +(dry.ms / 1000).toFixed(1),
    dry_run_peak_rss_mb: Math.round(dry.peakRssMb),
    reimport_seconds: +(again.ms / 1000).toFixed(1),
    reimport_rows_per_s: rate(again),
    reimport_peak_rss_mb: Math.round(again.peakRssMb),
    floor_peak_rss_mb: Math.round(floor.peakRssMb),
    baseline_rss_mb: Math.round(baseline.peakRssMb),
  };
  process.stdout.write(
    `Import xAPI of ${N} rows, ${summary.csv_mb} MB, 18 mappings (local directory), ${expected.created} statements stored:\n` +
      `  floor (the stored rows, ${dumpMb.toFixed(0)} MB, COPY'd into the same 4 tables for another account): ${summary.floor_rows_per_s} rows/s, ${summary.floor_seconds} s, peak RSS ${summary.floor_peak_rss_mb} MB\n` +
      `  first import: ${summary.rows_per_s} rows/s (ratio ${summary.ratio}), ${summary.seconds} s, peak RSS ${summary.peak_rss_mb} MB, RSS at each tenth ${JSON.stringify(summary.rss_course_mb)}\n` +
      `  the same process before reading a row (app context, connectors loaded): peak RSS ${summary.baseline_rss_mb} MB\n` +
      `  dry run:      ${rate(dry)} rows/s, ${summary.dry_run_seconds} s, peak RSS ${summary.dry_run_peak_rss_mb} MB (counts equal the import's)\n` +
      `  re-import:    ${summary.reimport_rows_per_s} rows/s, ${summary.reimport_seconds} s, peak RSS ${summary.reimport_peak_rss_mb} MB (all unchanged)\n`,
  );
  const { bench, rows, rows_per_s, floor_rows_per_s, ratio, peak_rss_mb, rss_course_mb: _c, ...rest } = summary;
  process.stdout.write(JSON.stringify({ bench, rows, rows_per_s, floor_rows_per_s, ratio, peak_rss_mb, ...rest }) + '\n');
} finally {
  await server.stop();
}
