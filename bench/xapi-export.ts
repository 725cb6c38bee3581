// npm run bench:xapi-export — "Export xAPI" of BENCH_STATEMENTS stored statements (default 1,000,000; 1% voided)
// with a 10-column configuration (strings, a language map, an IRI-keyed extension, number, boolean, dates; some
// paths missing in some statements), to CSV and to zip on a local directory drop. Measured BENCH_RUNS times each
// (default 3, median reported), each in its own process (peak RSS of that process): the floor (the very same
// COPY (SELECT ...) TO STDOUT into /dev/null), a reference COPY of the stored JSON without extraction, the CSV
// export and the zip export. The statements are filled in SQL with the LRS's table layout. Last line: one JSON object.
// The cluster is kept in BENCH_DIR (default /tmp/lmc-bench-xapi-export-<n>) and reused by the next run.
import fs from 'node:fs/promises';
import path from 'node:path';
import { median, run, startBenchDatabase } from './bench-kit.ts';
import { openAppContext } from '../src/app-context.ts';
import { createAccount } from '../src/platform/accounts.ts';
import { createXapiExportConfig } from '../src/pipelines/export-xapi/export-config.ts';
import { createLogger } from '../src/shared/logger.ts';

const N = Number(process.env.BENCH_STATEMENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const dir = process.env.BENCH_DIR ?? `/tmp/lmc-bench-xapi-export-${N}`;
const SLUG = 'bench-xapi-export';
const DEPT = 'http://example.com/ext/department';

const { server, url } = await startBenchDatabase(dir);
try {
  const ctx = await openAppContext({ dbUrl: url, log: createLogger('warn'), poolSize: 2 });
  let acc = await ctx.db.selectFrom('accounts').select('id').where('slug', '=', SLUG).executeTakeFirst();
  if (!acc) {
    acc = await createAccount(ctx.db, { name: 'Bench xAPI export', slug: SLUG });
    process.stderr.write(`filling ${N} statements in SQL...\n`);
    const t = Date.now();
    const CHUNK = 200_000;
    for (let from = 0; from < N; from += CHUNK) {
      const n = Math.min(CHUNK, N - from);
      // stored spreads over the 30 days before now; every 3rd statement has no result.success, every 5th no
      // department extension, every 7th no en-US display; 1% are voided.
      await ctx.pool.query(
        `insert into lrs_statements (account_id, id, stored, actor_key, verb_id, object_activity_id, registration, timestamp, statement, voided)
         select $1, g.id, g.stored, 'Agent|mbox:' || g.mbox, g.verb, g.act, g.reg, g.stored,
           jsonb_build_object('id', g.id, 'actor', jsonb_build_object('objectType', 'Agent', 'name', 'Learner ' || g.a, 'mbox', g.mbox),
             'verb', jsonb_build_object('id', g.verb, 'display', case when g.i % 7 = 0 then jsonb_build_object('fr-FR', 'verbe') else jsonb_build_object('en-US', 'verb ' || g.v) end),
             'object', jsonb_build_object('objectType', 'Activity', 'id', g.act, 'definition', jsonb_build_object('name', jsonb_build_object('en-US', 'Activity ' || g.ac))),
             'context', jsonb_build_object('registration', g.reg, 'contextActivities', jsonb_build_object('parent', jsonb_build_array(jsonb_build_object('id', 'http://example.com/courses/c' || (g.ac / 10)))),
               'extensions', case when g.i % 5 = 0 then '{}'::jsonb else jsonb_build_object($2::text, 'Dept ' || (g.i % 40)) end),
             'result', jsonb_build_object('score', jsonb_build_object('scaled', round((g.i % 101) / 100.0, 2)), 'completion', true)
               || case when g.i % 3 = 0 then '{}'::jsonb else jsonb_build_object('success', g.i % 2 = 0) end,
             'timestamp', to_jsonb(g.stored - interval '5 minutes'), 'stored', to_jsonb(g.stored), 'version', '2.0.0'),
           g.i % 100 = 0
         from (select i, gen_random_uuid() id, gen_random_uuid() reg, i % 5000 a, i % 20 v, i % 2000 ac,
                 'mailto:learner' || (i % 5000) || '@example.com' mbox, 'http://example.com/verbs/v' || (i % 20) verb,
                 'http://example.com/activities/a' || (i % 2000) act,
                 date_trunc('milliseconds', now() - interval '30 days' + (i::float8 / $5) * interval '30 days' - interval '1 hour') stored
               from generate_series($3::int, $4::int) i) g`,
        [acc.id, DEPT, from, from + n - 1, N],
      );
    }
    await ctx.pool.query('vacuum analyze lrs_statements');
    await createXapiExportConfig(ctx.db, acc.id, {
      name: 'bench',
      columns: [
        { path: 'id', column: 'Statement', type: 'string' },
        { path: 'actor.mbox', column: 'Learner', type: 'string' },
        { path: 'verb.id', column: 'Verb', type: 'string' },
        { path: 'verb.display.en-US', column: 'Verb (en-US)', type: 'string' },
        { path: 'object.id', column: 'Activity', type: 'string' },
        { path: 'context.contextActivities.parent[0].id', column: 'Course', type: 'string' },
        { path: 'result.score.scaled', column: 'Score', type: 'number' },
        { path: 'result.success', column: 'Success', type: 'boolean' },
        { path: `context.extensions["${DEPT}"]`, column: 'Department', type: 'string' },
        { path: 'timestamp', column: 'Timestamp', type: 'date' },
      ],
    });
    process.stderr.write(`filled in ${((Date.now() - t) / 1000).toFixed(0)} s\n`);
  }
  const accountId = Number(acc.id);
  const configId = (await ctx.db.selectFrom('xapi_export_configs').select('id').where('account_id', '=', accountId).executeTakeFirstOrThrow()).id;
  const stored = Number((await ctx.pool.query<{ n: string }>('select count(*) n from lrs_statements where account_id = $1', [accountId])).rows[0].n);
  await ctx.close();
  const outDir = path.join(dir, 'drop');
  await fs.mkdir(outDir, { recursive: true });

  type M = { mode: string; rows: number; ms: number; bytes: number; peakRssMb: number };
  const modes = ['floor', 'raw', 'csv', 'zip'];
  const results: Record<string, M[]> = Object.fromEntries(modes.map((m) => [m, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const mode of modes) {
      const m = JSON.parse((await run('node', ['--import', 'tsx', 'bench/xapi-export-run.ts', mode, String(accountId), String(configId), outDir], { DATABASE_URL: url })).trim().split('\n').pop()!) as M;
      results[mode].push(m);
      process.stderr.write(`run ${i + 1} ${mode.padEnd(5)} ${m.rows} rows in ${(m.ms / 1000).toFixed(1)} s = ${Math.round(m.rows / (m.ms / 1000))} rows/s, ${(m.bytes / 1e6).toFixed(0)} MB, peak RSS ${m.peakRssMb.toFixed(0)} MB\n`);
    }
  }
  const rate = (mode: string) => median(results[mode].map((m) => m.rows / (m.ms / 1000)));
  const rss = (mode: string) => Math.max(...results[mode].map((m) => m.peakRssMb));
  const floor = rate('floor');
  const summary = {
    bench: 'xapi-export',
    statements: stored,
    rows: results.csv[0].rows,
    columns: 10,
    runs: RUNS,
    floorRowsPerSec: Math.round(floor),
    rawJsonCopyRowsPerSec: Math.round(rate('raw')),
    csvRowsPerSec: Math.round(rate('csv')),
    zipRowsPerSec: Math.round(rate('zip')),
    csvRatio: +(rate('csv') / floor).toFixed(3),
    zipRatio: +(rate('zip') / floor).toFixed(3),
    csvMB: +(results.csv[0].bytes / 1e6).toFixed(1),
    zipMB: +(results.zip[0].bytes / 1e6).toFixed(1),
    floorPeakRssMb: Math.round(rss('floor')),
    csvPeakRssMb: Math.round(rss('csv')),
    zipPeakRssMb: Math.round(rss('zip')),
    targets: { ratio: 0.5, peakRssMb: 200 },
  };
  const pass = summary.csvRatio >= 0.5 && summary.zipRatio >= 0.5 && summary.csvPeakRssMb < 200 && summary.zipPeakRssMb < 200;
  process.stdout.write(
    `xAPI export of ${summary.rows} statements, 10 columns (median of ${RUNS}):\n` +
      `  floor (the same COPY (SELECT ...) TO STDOUT -> /dev/null): ${summary.floorRowsPerSec} rows/s, peak RSS ${summary.floorPeakRssMb} MB\n` +
      `  reference: COPY of the stored JSON, no extraction:         ${summary.rawJsonCopyRowsPerSec} rows/s\n` +
      `  CSV to local directory: ${summary.csvRowsPerSec} rows/s (ratio ${summary.csvRatio}), peak RSS ${summary.csvPeakRssMb} MB, ${summary.csvMB} MB\n` +
      `  zip to local directory: ${summary.zipRowsPerSec} rows/s (ratio ${summary.zipRatio}), peak RSS ${summary.zipPeakRssMb} MB, ${summary.zipMB} MB\n`,
  );
  process.stdout.write(JSON.stringify({ ...summary, pass }) + '\n');
} finally {
  await server.stop();
}
