import type { Command } from 'commander';
import { openAppContext } from '../../app-context.ts';
import { prepareDatabase } from '../../db/prepare.ts';
import { checkBeforeStart } from '../../server/start-checks.ts';
import { engineTimings } from '../../engine/engine-config.ts';
import { startWorker } from '../../engine/worker.ts';
import { startMetricsServer } from '../../server/metrics-server.ts';

export function register(program: Command): void {
  program
    .command('worker')
    .description('execute connector runs (any number of workers share the queue; stop with Ctrl-C)')
    .option('--concurrency <n>', 'runs executed at once by this process', (v) => Number(v))
    .action(async (o: { concurrency?: number }) => {
      const ctx = await openAppContext();
      try {
        const { rights } = await prepareDatabase(ctx.dbUrl);
        await checkBeforeStart(ctx, rights);
      } catch (e) {
        await ctx.close();
        throw e;
      }
      const timings = { ...engineTimings(), ...(o.concurrency ? { concurrency: o.concurrency } : {}) };
      const w = await startWorker(ctx, { timings });
      const metrics = await startMetricsServer(ctx);
      process.stdout.write(`worker ${w.id} started (concurrency ${timings.concurrency})${metrics ? `; metrics at ${metrics.url}/metrics` : ''}\n`);
      let stopping = false;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        await w.stop();
        await metrics?.stop();
        await ctx.close();
        process.exit(0);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
}
