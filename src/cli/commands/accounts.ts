import type { Command } from 'commander';
import { listAccounts } from '../../platform/account-list.ts';
import { isJson, printTable, withContext } from '../cli-context.ts';

export function register(program: Command): void {
  const accounts = program.command('accounts').description('accounts on this server');
  accounts
    .command('list')
    .action(async (_o: unknown, cmd: Command) => {
      await withContext(async (ctx) => printTable(await listAccounts(ctx.db), isJson(cmd)));
    });
}
