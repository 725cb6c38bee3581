// One measurement of bench/xapi-import.ts, in its own process so its peak RSS is that step's alone.
// Usage: DATABASE_URL=... node --import tsx bench/xapi-import-run.ts import <accountId> <connectionId> [dry]
//        DATABASE_URL=... node --import tsx bench/xapi-import-run.ts baseline
//        DATABASE_URL=... node --import tsx bench/xapi-import-run.ts floor <accountId> <dumpDir>
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import copyStreams from 'pg-copy-streams';
import { openAppContext } from '../src/app-context.ts';
import { engineTimings } from '../src/engine/engine-config.ts';
import { executeRun } from '../src/engine/executor.ts';
import { loadRegistry } from '../src/engine/registry.ts';
import { createOnDemandRun, getRun } from '../src/engine/runs.ts';
import { createLogger } from '../src/shared/logger.ts';
import { FLOOR_TABLES } from './xapi-import-data.ts';

const [mode, account, arg, dry] = process.argv.slice(2);
const ctx = await openAppContext({ dbUrl: process.env.DATABASE_URL!, log: createLogger('warn'), poolSize: 4 });
let out: Record<string, unknown>;
// RSS every 100 ms: its course over the run shows whether memory grows with the rows read.
const rss: number[] = [];
const maxMb = { heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  rss.push(m.rss / 1048576);
  for (const k of Object.keys(maxMb) as Array<keyof typeof maxMb>) maxMb[k] = Math.max(maxMb[k], Math.round(m[k] / 1048576));
}, 100);
if (mode === 'import' || mode === 'baseline') await loadRegistry(); // once when a worker starts, not per run (bench/import-run.ts)
const t0 = performance.now();
if (mode === 'baseline') {
  // The process an import runs in, before it reads a row: the app context and the loaded connectors.
  out = { rows: 0, ms: 0 };
} else if (mode === 'floor') {
  // The floor: the rows the import stored, COPY'd as they are into the same tables (same indexes) for
  // another account: no CSV, no mapping, no validation, no JSON building, no lookups.
  const c = await ctx.pool.connect();
  let rows = 0;
  for (const [table, cols] of FLOOR_TABLES) {
    const copy = c.query(copyStreams.from(`copy ${table} (${cols}) from stdin`));
    await pipeline(fs.createReadStream(path.join(arg, `${table}.copy`)), copy);
    if (table === 'lrs_statements') rows = copy.rowCount;
  }
  c.release();
  out = { rows, ms: performance.now() - t0 };
} else {
  const accountId = Number(account);
  const run = await createOnDemandRun(ctx, { accountId, userId: null }, { connectionId: Number(arg), actionId: 'import-xapi', dryRun: dry === 'dry' });
  await executeRun(ctx, run.id, { workerId: `bench-${process.pid}`, timings: engineTimings() });
  const ms = performance.now() - t0;
  const done = await getRun(ctx, accountId, run.id);
  out = { rows: done.counts.read, ms, status: done.status, error: done.error, counts: done.counts };
}
clearInterval(sampler);
await ctx.close();
// RSS at each tenth of the run
const course = Array.from({ length: 10 }, (_, i) => Math.round(rss[Math.min(rss.length - 1, Math.floor(((i + 1) * rss.length) / 10) - 1)] ?? 0));
process.stdout.write(JSON.stringify({ mode, ...out, rssCourseMb: course, maxMb, peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
process.exit(0);
