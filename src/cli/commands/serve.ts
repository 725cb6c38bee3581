import type { Command } from 'commander';
import { serve } from '../../server/serve.ts';

async function runUntilSignal(opts: { worker?: boolean }) {
  const s = await serve({ skip: opts.worker === false ? ['worker'] : [] });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await s.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('run the API, the web app, the scheduler, the hosted SFTP service and a worker')
    .option('--no-worker', 'do not run a worker in this process (run `lmc worker` separately)')
    .action(runUntilSignal);
  program
    .command('start')
    .description('what `npm start` runs: build the web app when needed, then serve')
    .option('--no-worker', 'do not run a worker in this process')
    .action(async (opts: { worker?: boolean }) => {
      const { ensureWebBuilt } = await import('../../server/web-build.ts');
      await ensureWebBuilt();
      await runUntilSignal(opts);
    });
}
