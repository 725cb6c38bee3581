// The API process of `npm run bench:lrs`: serves the product's API (with the LRS at /xapi) on DATABASE_URL
// and prints {"port": N} once listening. Its peak RSS is read from /proc by the bench.
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { buildApi } from '../src/api/app.ts';
import { openAppContext } from '../src/app-context.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/shared/logger.ts';

const config = loadConfig({ ...process.env, LMC_DATA_DIR: '/tmp/lmc-bench-lrs-data', LMC_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') });
const ctx = await openAppContext({ config, dbUrl: process.env.DATABASE_URL!, log: createLogger('silent'), poolSize: Number(process.env.BENCH_POOL ?? 12) });
const api = await buildApi(ctx);
await api.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(JSON.stringify({ port: (api.server.address() as { port: number }).port }) + '\n');
// SIGUSR2: prints how long callbacks waited for the event loop since the previous SIGUSR2 (to stderr), so the
// bench can tell time spent queued in this process from time spent in PostgreSQL.
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
// and how long garbage collection paused it
let gc = { count: 0, totalMs: 0, maxMs: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gc.count++;
    gc.totalMs += e.duration;
    gc.maxMs = Math.max(gc.maxMs, e.duration);
  }
}).observe({ entryTypes: ['gc'] });
process.on('SIGUSR2', () => {
  const ms = (ns: number) => Math.round(ns / 1e5) / 10;
  process.stderr.write(`API event loop delay: p50 ${ms(loopDelay.percentile(50))} ms, p99 ${ms(loopDelay.percentile(99))} ms, max ${ms(loopDelay.max)} ms; GC ${gc.count} pauses, ${Math.round(gc.totalMs)} ms in all, longest ${Math.round(gc.maxMs)} ms\n`);
  loopDelay.reset();
  gc = { count: 0, totalMs: 0, maxMs: 0 };
});
process.on('SIGTERM', async () => {
  await api.close();
  await ctx.close();
  process.exit(0);
});
