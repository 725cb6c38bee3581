import type { Command } from 'commander';
import { listNotifications } from '../../engine/runs.ts';
import { cliPrincipal, isJson, printTable, withContext } from '../cli-context.ts';

export function register(program: Command): void {
  program
    .command('notifications')
    .description("the account admins' notifications (one per finished run), newest first")
    .option('--limit <n>', 'how many', (v) => Number(v), 20)
    .option('--account <slug|id>', 'account')
    .action(async (o: { limit: number; account?: string }, cmd: Command) => {
      await withContext(async (ctx) => printTable(await listNotifications(ctx, (await cliPrincipal(ctx, o.account)).accountId, { limit: o.limit }), isJson(cmd)));
    });
}
