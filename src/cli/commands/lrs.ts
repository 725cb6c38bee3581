import type { Command } from 'commander';
import { createLrsCredential, listLrsCredentials, LRS_SCOPES, revokeLrsCredential, type LrsScope } from '../../lrs/credentials.ts';
import { XAPI_VERSIONS, type XapiVersion } from '../../lrs/version.ts';
import { CommonErrors } from '../../shared/errors.ts';
import { cliPrincipal, isJson, printTable, withContext } from '../cli-context.ts';

function parseScopes(s: string): LrsScope[] {
  const scopes = s.split(',').map((x) => x.trim()).filter(Boolean);
  for (const x of scopes) if (!LRS_SCOPES.includes(x as LrsScope)) throw CommonErrors.VALIDATION.create({ detail: `unknown scope "${x}" (read, write)`, field: 'scope' });
  if (scopes.length === 0) throw CommonErrors.VALIDATION.create({ detail: 'give at least one scope', field: 'scope' });
  return scopes as LrsScope[];
}

function parseVersion(s: string): XapiVersion {
  if (!XAPI_VERSIONS.includes(s as XapiVersion)) throw CommonErrors.VALIDATION.create({ detail: `unknown xAPI version "${s}" (${XAPI_VERSIONS.join(', ')})`, field: 'version' });
  return s as XapiVersion;
}

export function register(program: Command): void {
  const lrs = program.command('lrs').description('the xAPI Learning Record Store (endpoint /xapi)');
  const key = lrs.command('key').description('LRS keys: HTTP Basic credentials of xAPI clients');
  key
    .command('create')
    .description('create an LRS key; prints the key (Basic user) and the secret (Basic password) once')
    .option('--name <name>', 'what the key is for', 'xAPI client')
    .option('--scope <scopes>', 'comma-separated: read, write', 'read,write')
    .option('--version <version>', 'xAPI version of the key\'s clients, 2.0.0 or 1.0.3: reported to requests that name no version (requests that name one are answered in it)', '2.0.0')
    .option('--account <slug|id>', 'account')
    .action(async (o: { name: string; scope: string; version: string; account?: string }, cmd: Command) => {
      const version = parseVersion(o.version);
      const scopes = parseScopes(o.scope);
      await withContext(async (ctx) => {
        const p = await cliPrincipal(ctx, o.account);
        const c = await createLrsCredential(ctx.db, p.accountId, { name: o.name, scopes, version });
        if (isJson(cmd)) process.stdout.write(JSON.stringify(c) + '\n');
        else process.stdout.write(`key:     ${c.key}\nsecret:  ${c.secret}\nscopes:  ${c.scopes.join(',')}\nversion: xAPI ${c.version}\n(id ${c.id}; keep the secret now: it is not shown again)\n`);
      });
    });
  key
    .command('list')
    .option('--account <slug|id>', 'account')
    .action(async (o: { account?: string }, cmd: Command) => {
      await withContext(async (ctx) => {
        const rows = await listLrsCredentials(ctx.db, (await cliPrincipal(ctx, o.account)).accountId);
        printTable(rows.map((r) => ({ ...r, scopes: r.scopes.join(',') })), isJson(cmd));
      });
    });
  key
    .command('revoke <id>')
    .option('--account <slug|id>', 'account')
    .action(async (id: string, o: { account?: string }) => {
      await withContext(async (ctx) => {
        await revokeLrsCredential(ctx.db, (await cliPrincipal(ctx, o.account)).accountId, Number(id));
        process.stdout.write(`LRS key ${id} revoked\n`);
      });
    });
}
