import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { openConnection } from '../../engine/connections.ts';
import { FOLDERS } from '../../kit/file-sources/file-source.ts';
import { acceptPendingHostKey, getHostKey } from '../../kit/file-sources/host-keys.ts';
import { addHostedPublicKey, createResetToken, getHostedAccount, removeHostedPublicKey, resetHostedPassword } from '../../kit/file-sources/hosted-drop.ts';
import { generateSshKeyPair, publicKeyOfPrivateKey } from '../../kit/file-sources/ssh-keys.ts';
import { CommonErrors } from '../../shared/errors.ts';
import { hostKeyFingerprint } from '../../sftp-server/host-key.ts';
import { cliPrincipal, isJson, printTable, withContext } from '../cli-context.ts';

const out = (s: string) => process.stdout.write(s + '\n');

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString().replace(/\r?\n$/, '');
}

/** `lmc ftp ...` (the hosted SFTP login) and `lmc custom-ftp ...` (keys and host keys of Custom FTP). */
export function register(program: Command): void {
  const ftp = program.command('ftp').description('the hosted SFTP drop (Learning Manager FTP): login, password reset, public keys');
  ftp
    .command('account')
    .description("show the account's hosted SFTP login")
    .option('--account <slug|id>', 'account')
    .action(async (o: { account?: string }, cmd: Command) => {
      await withContext(async (ctx) => {
        const a = await getHostedAccount(ctx.db, (await cliPrincipal(ctx, o.account)).accountId);
        if (isJson(cmd)) return out(JSON.stringify({ ...a, sftpPort: ctx.config.sftpPort }));
        out(`user:      ${a.username}\nemail:     ${a.email}\nserver:    sftp://${ctx.config.host}:${ctx.config.sftpPort}  host key ${(await hostKeyFingerprint(ctx.config.dataDir)) ?? '(created on first start)'}\npassword:  ${a.hasPassword ? 'set' : 'not set'}${a.resetPending ? ' (a reset link is pending)' : ''}\nfolders:   ${Object.values(FOLDERS).map((f) => `Home/${f}`).join(', ')}`);
        if (a.publicKeys.length) printTable(a.publicKeys);
      });
    });
  ftp
    .command('reset-link')
    .description('create a one-time password reset token for the hosted SFTP login (printed once; earlier ones stop working)')
    .option('--account <slug|id>', 'account')
    .action(async (o: { account?: string }, cmd: Command) => {
      await withContext(async (ctx) => {
        const r = await createResetToken(ctx.db, (await cliPrincipal(ctx, o.account)).accountId);
        if (isJson(cmd)) return out(JSON.stringify(r));
        out(`${r.token}\n(for ${r.email}, login ${r.username}; valid until ${r.expiresAt.toISOString()}; set the password with: lmc ftp set-password --token <token>)`);
      });
    });
  ftp
    .command('set-password')
    .description('set the hosted SFTP password with a reset token (the password is read from stdin, or LMC_FTP_PASSWORD)')
    .requiredOption('--token <token>', 'the one-time reset token')
    .action(async (o: { token: string }) => {
      await withContext(async (ctx) => {
        const password = process.env.LMC_FTP_PASSWORD ?? (await readStdin());
        const r = await resetHostedPassword(ctx.db, o.token, password);
        out(`password set for ${r.username}`);
      });
    });
  ftp
    .command('add-key <publicKeyFile>')
    .description('allow an SSH public key (OpenSSH .pub file) to log in to the hosted SFTP login')
    .option('--account <slug|id>', 'account')
    .action(async (file: string, o: { account?: string }, cmd: Command) => {
      await withContext(async (ctx) => {
        const k = await addHostedPublicKey(ctx.db, (await cliPrincipal(ctx, o.account)).accountId, await fs.readFile(file, 'utf8'));
        if (isJson(cmd)) out(JSON.stringify(k));
        else out(`key ${k.id} added: ${k.algorithm} ${k.fingerprint}`);
      });
    });
  ftp
    .command('remove-key <id>')
    .option('--account <slug|id>', 'account')
    .action(async (id: string, o: { account?: string }) => {
      await withContext(async (ctx) => {
        if (!(await removeHostedPublicKey(ctx.db, (await cliPrincipal(ctx, o.account)).accountId, Number(id)))) throw CommonErrors.NOT_FOUND.create(`public key ${id}`);
        out(`key ${id} removed`);
      });
    });

  const custom = program.command('custom-ftp').description('Custom FTP (your own SFTP server): SSH key pair, host key');
  custom
    .command('keygen')
    .description('generate an SSH key pair for certificate authentication: <out> gets the private key (mode 0600, give it as the "privateKey" setting), <out>.pub the public key for your server')
    .requiredOption('--out <file>', 'where to write the private key')
    .option('--type <type>', 'ed25519 or rsa', 'ed25519')
    .action(async (o: { out: string; type: 'ed25519' | 'rsa' }) => {
      const pair = generateSshKeyPair(o.type === 'rsa' ? 'rsa' : 'ed25519', 'lmc-custom-ftp');
      await fs.writeFile(o.out, pair.privateKey, { mode: 0o600, flag: 'wx' });
      await fs.writeFile(`${o.out}.pub`, pair.publicKey + '\n', { flag: 'wx' });
      out(pair.publicKey);
      out(`(${pair.fingerprint}; private key in ${o.out}, public key in ${o.out}.pub)`);
    });
  custom
    .command('public-key <connectionId>')
    .description('print the OpenSSH public key of a certificate-authenticated Custom FTP connection')
    .option('--account <slug|id>', 'account')
    .action(async (id: string, o: { account?: string }) => {
      await withContext(async (ctx) => {
        const { connector, settings } = await openConnection(ctx, (await cliPrincipal(ctx, o.account)).accountId, Number(id));
        const key = (settings as { privateKey?: string }).privateKey;
        if (connector.id !== 'custom-ftp' || !key) throw CommonErrors.NOT_FOUND.create('this connection has no SSH key (Custom FTP with certificate authentication only)');
        out(publicKeyOfPrivateKey(key, `lmc-connection-${id}`));
      });
    });
  custom
    .command('host-key <connectionId>')
    .description("show the SFTP server's pinned host key and any changed key waiting for acceptance")
    .option('--account <slug|id>', 'account')
    .action(async (id: string, o: { account?: string }, cmd: Command) => {
      await withContext(async (ctx) => {
        const accountId = (await cliPrincipal(ctx, o.account)).accountId;
        await openConnection(ctx, accountId, Number(id));
        const k = await getHostKey(ctx.db, accountId, Number(id));
        if (!k) throw CommonErrors.NOT_FOUND.create('no host key pinned yet: the connection has not reached its server');
        printTable([k], isJson(cmd));
      });
    });
  custom
    .command('accept-host-key <connectionId>')
    .description("accept the changed host key the server now offers (check the fingerprint with the server's owner first)")
    .option('--fingerprint <SHA256:...>', 'accept only if this is the offered key')
    .option('--account <slug|id>', 'account')
    .action(async (id: string, o: { account?: string; fingerprint?: string }) => {
      await withContext(async (ctx) => {
        const accountId = (await cliPrincipal(ctx, o.account)).accountId;
        await openConnection(ctx, accountId, Number(id));
        const r = await acceptPendingHostKey(ctx.db, accountId, Number(id), o.fingerprint);
        out(`host key ${r.fingerprint} accepted`);
      });
    });
}
