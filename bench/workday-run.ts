// One step of bench/workday.ts in its own process (its peak RSS is the step's): "Import Internal Users" of the
// Workday connection through the engine. Prints one JSON line: { ms, counts, status, rssMb }.
import { appendFileSync } from 'node:fs';
import { openAppContext } from '../src/app-context.ts';
import { engineTimings } from '../src/engine/engine-config.ts';
import { executeRun } from '../src/engine/executor.ts';
import { loadRegistry } from '../src/engine/registry.ts';
import { createOnDemandRun, getRun, getRunDetail } from '../src/engine/runs.ts';
import { createLogger } from '../src/shared/logger.ts';

const [account, connection] = process.argv.slice(2).map(Number);
const ctx = await openAppContext({ dbUrl: process.env.DATABASE_URL!, log: createLogger('warn'), poolSize: 4 });
await loadRegistry();
const t0 = performance.now();
const run = await createOnDemandRun(ctx, { accountId: account, userId: null }, { connectionId: connection, actionId: 'import-users' });
await executeRun(ctx, run.id, { workerId: 'bench', timings: engineTimings({ LMC_RUN_LEASE_MS: '600000', LMC_RUN_HEARTBEAT_MS: '5000' }) });
const ms = performance.now() - t0;
const done = await getRun(ctx, account, run.id);
// BENCH_RUN_LOG=<file>: the run's log appended to that file, in ms from the start of the step (where a run's time
// goes; the user import's last line carries its phase durations).
if (process.env.BENCH_RUN_LOG) for (const l of (await getRunDetail(ctx, account, run.id)).log) appendFileSync(process.env.BENCH_RUN_LOG, `${Math.round(new Date(l.at).getTime() - (performance.timeOrigin + t0))} ms ${l.message} ${l.data ? JSON.stringify(l.data) : ''}\n`);
await ctx.close();
process.stdout.write(`${JSON.stringify({ ms: Math.round(ms), status: done.status, error: done.error, counts: done.counts, rssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
