import type { Command } from 'commander';
import { openAppContext } from '../../app-context.ts';
import { importPathSentence } from '../../db/privileges.ts';
import { prepareDatabase } from '../../db/prepare.ts';
import { createLogger } from '../../shared/logger.ts';
import { isJson } from '../cli-context.ts';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (also done at every start)')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = await openAppContext({ log: createLogger('warn') });
      try {
        const { applied, rights } = await prepareDatabase(ctx.dbUrl);
        if (isJson(cmd)) {
          process.stdout.write(JSON.stringify({ applied, rights, importPath: rights.fastInsert ? 'fast' : 'plain' }, null, 2) + '\n');
          return;
        }
        const lines = [`database is up to date (${applied.length} migration(s) applied now${applied.length ? `: ${applied.join(', ')}` : ''})`, importPathSentence(rights)];
        process.stdout.write(lines.join('\n') + '\n');
      } finally {
        await ctx.close();
      }
    });
}
