// npm run bench:export — Learner Transcript export to CSV and to zip on a local directory drop.
// Seeds an account with `lmc seed` (BENCH_ENROLLMENTS, default 10,000,000; 10 per user), then measures, BENCH_RUNS
// times each (default 3, median reported): the floor (the same COPY (SELECT ...) TO STDOUT into /dev/null), the CSV
// export and the zip export, each in its own process (peak RSS of that process). Last line: one JSON object.
// The seeded cluster is kept in BENCH_DIR (default /tmp/lmc-bench-export-<n>) and reused by the next run.
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { median, run, startBenchDatabase } from './bench-kit.ts';

const N = Number(process.env.BENCH_ENROLLMENTS ?? 10_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const dir = process.env.BENCH_DIR ?? `/tmp/lmc-bench-export-${N}`;
const SLUG = 'bench-export';

const { server, url } = await startBenchDatabase(dir);
try {
  const db = new pg.Client(url);
  await db.connect();
  let acc = (await db.query<{ id: string }>('select id from accounts where slug = $1', [SLUG])).rows[0];
  if (!acc) {
    process.stderr.write(`seeding ${N} enrollments (lmc seed)...\n`);
    const t = Date.now();
    await run('node', ['bin/lmc.js', '--json', 'seed', '--users', String(Math.max(2, Math.round(N / 10))), '--enrollments', String(N), '--seed', '42', '--account', SLUG], { DATABASE_URL: url });
    process.stderr.write(`seeded in ${((Date.now() - t) / 1000).toFixed(0)} s\n`);
    acc = (await db.query<{ id: string }>('select id from accounts where slug = $1', [SLUG])).rows[0];
  }
  const accountId = Number(acc.id);
  const enrollments = Number((await db.query<{ n: string }>('select count(*) n from enrollments where account_id = $1', [accountId])).rows[0].n);
  await db.end();
  const outDir = path.join(dir, 'drop');
  await fs.mkdir(outDir, { recursive: true });

  type M = { mode: string; rows: number; ms: number; bytes: number; peakRssMb: number };
  const results: Record<string, M[]> = { floor: [], csv: [], zip: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const mode of ['floor', 'csv', 'zip']) {
      const m = JSON.parse((await run('node', ['--import', 'tsx', 'bench/export-run.ts', mode, String(accountId), outDir], { DATABASE_URL: url })).trim().split('\n').pop()!) as M;
      results[mode].push(m);
      process.stderr.write(`run ${i + 1} ${mode.padEnd(5)} ${m.rows} rows in ${(m.ms / 1000).toFixed(1)} s = ${Math.round(m.rows / (m.ms / 1000))} rows/s, ${(m.bytes / 1e6).toFixed(0)} MB, peak RSS ${m.peakRssMb.toFixed(0)} MB\n`);
    }
  }
  const rate = (mode: string) => median(results[mode].map((m) => m.rows / (m.ms / 1000)));
  const rss = (mode: string) => Math.max(...results[mode].map((m) => m.peakRssMb));
  const floor = rate('floor');
  const csv = rate('csv');
  const zip = rate('zip');
  const summary = {
    bench: 'export',
    enrollments,
    rows: results.csv[0].rows,
    runs: RUNS,
    floorRowsPerSec: Math.round(floor),
    csvRowsPerSec: Math.round(csv),
    zipRowsPerSec: Math.round(zip),
    csvRatio: +(csv / floor).toFixed(3),
    zipRatio: +(zip / floor).toFixed(3),
    csvMB: +(results.csv[0].bytes / 1e6).toFixed(1),
    zipMB: +(results.zip[0].bytes / 1e6).toFixed(1),
    floorPeakRssMb: Math.round(rss('floor')),
    csvPeakRssMb: Math.round(rss('csv')),
    zipPeakRssMb: Math.round(rss('zip')),
    targets: { ratio: 0.5, peakRssMb: 200 },
  };
  const pass = summary.csvRatio >= 0.5 && summary.zipRatio >= 0.5 && summary.csvPeakRssMb < 200 && summary.zipPeakRssMb < 200;
  process.stdout.write(
    `learner transcript export of ${summary.rows} rows (median of ${RUNS}):\n` +
      `  floor (COPY TO STDOUT -> /dev/null): ${summary.floorRowsPerSec} rows/s, peak RSS ${summary.floorPeakRssMb} MB\n` +
      `  CSV to local directory:             ${summary.csvRowsPerSec} rows/s (ratio ${summary.csvRatio}), peak RSS ${summary.csvPeakRssMb} MB, ${summary.csvMB} MB\n` +
      `  zip to local directory:             ${summary.zipRowsPerSec} rows/s (ratio ${summary.zipRatio}), peak RSS ${summary.zipPeakRssMb} MB, ${summary.zipMB} MB\n`,
  );
  process.stdout.write(JSON.stringify({ ...summary, pass }) + '\n');
} finally {
  await server.stop();
}
