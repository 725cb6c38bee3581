import type { Command } from 'commander';
import { getUser, listUsers } from '../../platform/users/users.ts';
import { cliPrincipal, isJson, printTable, withContext } from '../cli-context.ts';

export function register(program: Command): void {
  const users = program.command('users').description('users of an account');
  users
    .command('list')
    .description('list users (search in email and name, filter by state, paged)')
    .option('--account <slug|id>', 'account')
    .option('--search <text>', 'part of the email or name')
    .option('--state <state>', 'active | suspended | deleted')
    .option('--limit <n>', 'page size', '50')
    .option('--offset <n>', 'rows to skip', '0')
    .action(async (o: { account?: string; search?: string; state?: 'active' | 'suspended' | 'deleted'; limit: string; offset: string }, cmd: Command) => {
      await withContext(async (ctx) => {
        const p = await cliPrincipal(ctx, o.account);
        const page = await listUsers(ctx.db, p.accountId, { search: o.search, state: o.state, limit: Number(o.limit), offset: Number(o.offset) });
        if (isJson(cmd)) {
          process.stdout.write(JSON.stringify(page, null, 2) + '\n');
          return;
        }
        printTable(page.items.map((u) => ({ id: u.id, email: u.email, name: u.name, state: u.state, manager: u.managerEmail ?? '', roles: u.roles.join(',') })));
        process.stdout.write(`${page.offset + 1}-${page.offset + page.items.length} of ${page.total}\n`);
      });
    });
  users
    .command('show <emailOrId>')
    .description('one user with manager, roles, external ids, profile and active field values')
    .option('--account <slug|id>', 'account')
    .action(async (ref: string, o: { account?: string }, cmd: Command) => {
      await withContext(async (ctx) => {
        const p = await cliPrincipal(ctx, o.account);
        const u = await getUser(ctx.db, p.accountId, ref);
        if (isJson(cmd)) {
          process.stdout.write(JSON.stringify(u, null, 2) + '\n');
          return;
        }
        const lines = Object.entries(u).map(([k, v]) => `${k.padEnd(12)} ${v instanceof Date ? v.toISOString() : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v ?? '')}`);
        process.stdout.write(lines.join('\n') + '\n');
      });
    });
}
