import type { Command } from 'commander';
import { createApiToken, listApiTokens, revokeApiToken } from '../../platform/api-tokens.ts';
import { CommonErrors } from '../../shared/errors.ts';
import { userIdByEmail } from '../../platform/principals.ts';
import { cliPrincipal, isJson, printTable, withContext } from '../cli-context.ts';

export function register(program: Command): void {
  const token = program.command('token').description('API tokens (Bearer) for the REST API');
  token
    .command('create')
    .description('create an API token for a user (default: the account\'s first integration admin); printed once')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--account <slug|id>', 'account')
    .option('--user <email>', 'the user the token acts as (its roles apply)')
    .action(async (o: { name: string; account?: string; user?: string }, cmd: Command) => {
      await withContext(async (ctx) => {
        const p = await cliPrincipal(ctx, o.account);
        let userId = p.userId;
        if (o.user) userId = await userIdByEmail(ctx.db, p.accountId, o.user);
        const t = await createApiToken(ctx.db, { accountId: p.accountId, userId, name: o.name });
        if (isJson(cmd)) process.stdout.write(JSON.stringify(t) + '\n');
        else process.stdout.write(`${t.token}\n(id ${t.id}; keep it now: it is not shown again)\n`);
      });
    });
  token
    .command('list')
    .option('--account <slug|id>', 'account')
    .action(async (o: { account?: string }, cmd: Command) => {
      await withContext(async (ctx) => printTable(await listApiTokens(ctx.db, (await cliPrincipal(ctx, o.account)).accountId), isJson(cmd)));
    });
  token
    .command('revoke <id>')
    .option('--account <slug|id>', 'account')
    .action(async (id: string, o: { account?: string }) => {
      await withContext(async (ctx) => {
        const ok = await revokeApiToken(ctx.db, (await cliPrincipal(ctx, o.account)).accountId, Number(id));
        if (!ok) throw CommonErrors.NOT_FOUND.create(`token ${id}`);
        process.stdout.write(`token ${id} revoked\n`);
      });
    });
}
