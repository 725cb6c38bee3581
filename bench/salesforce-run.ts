// One measurement of bench/salesforce.ts, in its own process so its peak RSS is that step's alone.
// Usage: DATABASE_URL=... node --import tsx bench/salesforce-run.ts <run|floor> <accountId> [connectionId actionId | outFile]
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { openAppContext } from '../src/app-context.ts';
import { engineTimings } from '../src/engine/engine-config.ts';
import { executeRun } from '../src/engine/executor.ts';
import { loadRegistry } from '../src/engine/registry.ts';
import { createOnDemandRun, getRun } from '../src/engine/runs.ts';
import { openReportStream } from '../src/pipelines/export-reports/report-stream.ts';
import { createLogger } from '../src/shared/logger.ts';

const [mode, account, a, b] = process.argv.slice(2);
const accountId = Number(account);
const ctx = await openAppContext({ dbUrl: process.env.DATABASE_URL!, log: createLogger('warn'), poolSize: 4 });
let out: Record<string, unknown>;
if (mode === 'floor') {
  // The floor of an export: the same Learner Transcript query streamed as CSV to a file on disk.
  const t0 = performance.now();
  const r = await openReportStream(ctx, 'learner-transcript', { accountId });
  await pipeline(r.stream, fs.createWriteStream(a));
  const { rows } = await r.done;
  out = { rows, ms: performance.now() - t0, bytes: fs.statSync(a).size };
} else {
  // As a running worker: the connectors are loaded before the clock starts.
  await loadRegistry();
  const t0 = performance.now();
  const run = await createOnDemandRun(ctx, { accountId, userId: null }, { connectionId: Number(a), actionId: b });
  await executeRun(ctx, run.id, { workerId: `bench-${process.pid}`, timings: engineTimings() });
  const ms = performance.now() - t0;
  const done = await getRun(ctx, accountId, run.id);
  if (done.status === 'failed') throw new Error(`run failed: ${done.errorCode} ${done.error}`);
  out = { rows: done.counts.read, ms, status: done.status, counts: done.counts };
}
await ctx.close();
process.stdout.write(JSON.stringify({ ...out, peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
