import type { Command } from 'commander';
import { createAdmin, resetAdminPassword } from '../../platform/admins.ts';
import { isJson, withContext } from '../cli-context.ts';

/** The server operator's way in: the first administrator, and a lost administrator password (docs/operations.md). */
export function register(program: Command): void {
  const admin = program.command('admin').description('administrators, from the server (first administrator, lost password)');
  admin
    .command('create')
    .description('create an administrator with every role and a generated password (shown once); on an empty database, the default account too')
    .requiredOption('--email <email>', 'the administrator\'s email (sign-in name)')
    .option('--name <name>', 'display name', 'Administrator')
    .option('--account <slug|id>', 'account (default: the only one, or "default")')
    .action(async (o: { email: string; name?: string; account?: string }, cmd: Command) => {
      await withContext(async (ctx) => {
        const r = await createAdmin(ctx.db, o);
        if (isJson(cmd)) {
          process.stdout.write(JSON.stringify(r, null, 2) + '\n');
          return;
        }
        process.stdout.write([
          `${r.accountCreated ? `Account "${r.account.slug}" created. ` : ''}Administrator ${r.user.email} created in account ${r.account.slug}. Sign in with`,
          `  email:    ${r.user.email}`,
          `  password: ${r.password}`,
          '(shown once; change it after signing in)',
        ].join('\n') + '\n');
      });
    });
  admin
    .command('reset-password <email>')
    .description('give an administrator (admin or integration admin role) a new generated password, shown once; ends their sessions and lifts a sign-in lock')
    .option('--account <slug|id>', 'account (default: the only one, or "default")')
    .action(async (email: string, o: { account?: string }, cmd: Command) => {
      await withContext(async (ctx) => {
        const r = await resetAdminPassword(ctx.db, { email, account: o.account });
        if (isJson(cmd)) {
          process.stdout.write(JSON.stringify(r, null, 2) + '\n');
          return;
        }
        const lines = [`New password of ${r.user.email} (account ${r.account.slug}); their sessions were ended:`, `  password: ${r.password}`, '(shown once; change it after signing in)'];
        if (r.user.state !== 'active') lines.push(`note: this user is ${r.user.state}; they can sign in only once an admin makes them active again`);
        process.stdout.write(lines.join('\n') + '\n');
      });
    });
}
