// One step of bench/workday.ts in its own process (its peak RSS is the step's): "Import Internal Users" of the
// Workday connection through the engine. Prints one JSON line: { ms, counts, status, rssMb }.
import { openAppContext } from '../src/app-context.ts';
import { engineTimings } from '../src/engine/engine-config.ts';
import { executeRun } from '../src/engine/executor.ts';
import { loadRegistry } from '../src/engine/registry.ts';
import { createOnDemandRun, getRun } from '../src/engine/runs.ts';
import { createLogger } from '../src/shared/logger.ts';

const [account, connection] = process.argv.slice(2).map(Number);
const ctx = await openAppContext({ dbUrl: process.env.DATABASE_URL!, log: createLogger('warn'), poolSize: 4 });
await loadRegistry();
const t0 = performance.now();
const run = await createOnDemandRun(ctx, { accountId: account, userId: null }, { connectionId: connection, actionId: 'import-users' });
await executeRun(ctx, run.id, { workerId: 'bench', timings: engineTimings({ LMC_RUN_LEASE_MS: '600000', LMC_RUN_HEARTBEAT_MS: '5000' }) });
const ms = performance.now() - t0;
const done = await getRun(ctx, account, run.id);
await ctx.close();
process.stdout.write(`${JSON.stringify({ ms: Math.round(ms), status: done.status, error: done.error, counts: done.counts, rssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
