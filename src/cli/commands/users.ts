import type { Command } from 'commander';
import { issuePasswordReset, RESET_HOURS } from '../../platform/users/password-reset.ts';
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
    .command('reset-link <emailOrId>')
    .description(`a one-time password reset link for a user, e.g. an administrator who lost the password (works once, ${RESET_HOURS} hours; earlier links stop working)`)
    .option('--account <slug|id>', 'account')
    .option('--base-url <url>', 'the address people open lmc at (default: http://LMC_HOST:PORT)')
    .action(async (ref: string, o: { account?: string; baseUrl?: string }, cmd: Command) => {
      await withContext(async (ctx) => {
        const p = await cliPrincipal(ctx, o.account);
        const u = await getUser(ctx.db, p.accountId, ref);
        const r = await issuePasswordReset(ctx.db, p.accountId, u.id);
        const base = (o.baseUrl ?? `http://${ctx.config.host}:${ctx.config.port}`).replace(/\/+$/, '');
        const link = `${base}/reset-password?token=${encodeURIComponent(r.token)}`;
        if (isJson(cmd)) {
          process.stdout.write(JSON.stringify({ email: r.email, link, expiresAt: r.expiresAt }, null, 2) + '\n');
          return;
        }
        process.stdout.write(`Give this one-time link to ${r.email} (valid until ${r.expiresAt.toISOString()}):\n${link}\n`);
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
