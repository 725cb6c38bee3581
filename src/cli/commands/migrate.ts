import type { Command } from 'commander';
import { openAppContext } from '../../app-context.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { prepareDatabase } from '../../db/prepare.ts';
import { createLogger } from '../../shared/logger.ts';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (also done at every start)')
    .action(async () => {
      const ctx = await openAppContext({ log: createLogger('warn') });
      try {
        await prepareDatabase(ctx.dbUrl);
        const r = await migrateToLatest(ctx.db);
        process.stdout.write(`database is up to date (${r.results?.length ?? 0} migration(s) applied now)\n`);
      } finally {
        await ctx.close();
      }
    });
}
