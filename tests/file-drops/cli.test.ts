import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureHostedAccount } from '../../src/kit/file-sources/hosted-drop.ts';
import { startSftpServer, type RunningSftpServer } from '../../src/sftp-server/server.ts';
import { createAccountWithToken } from '../helpers/api.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { runSftp, sshKeygen, tempDir } from './helpers/openssh.ts';

let ctx: TestContext;
let server: RunningSftpServer;
let slug: string;

function lmc(args: string[], input?: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = execFile('node', ['bin/lmc.js', ...args], { env: { ...process.env, DATABASE_URL: ctx.dbUrl, LMC_DATA_DIR: ctx.config.dataDir, ...env }, timeout: 60_000 }, (e, stdout, stderr) =>
      resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
    );
    if (input !== undefined) p.stdin!.end(input);
    else p.stdin!.end();
  });
}

beforeAll(async () => {
  ctx = await createTestContext();
  const { account } = await createAccountWithToken(ctx, { roles: ['integration_admin'] });
  slug = account.slug;
  await ensureHostedAccount(ctx.db, ctx.config.dataDir, account.id, 'ops@acme.test');
  server = await startSftpServer({ db: ctx.db, dataDir: ctx.config.dataDir, log: ctx.log, host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await server?.stop();
  await ctx?.destroy();
  await fs.rm(ctx.config.dataDir, { recursive: true, force: true });
});

describe('lmc ftp / lmc custom-ftp', () => {
  it('creates a reset token, sets the password from stdin, adds a key, shows the login', async () => {
    const link = await lmc(['ftp', 'reset-link', '--account', slug, '--json']);
    expect(link.code, link.stderr).toBe(0);
    const { token } = JSON.parse(link.stdout);
    const set = await lmc(['ftp', 'set-password', '--token', token], 'a long cli password\n');
    expect(set.stdout).toContain(`password set for ${slug}`);
    expect((await runSftp({ port: server.port, user: slug, password: 'a long cli password', commands: ['ls'] })).code).toBe(0);
    const again = await lmc(['ftp', 'set-password', '--token', token], 'another long password\n');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('LMC_ERR_FILEDROP_RESET_TOKEN_INVALID');

    const dir = await tempDir();
    const key = await sshKeygen(dir);
    expect((await lmc(['ftp', 'add-key', key + '.pub', '--account', slug])).stdout).toMatch(/^key \d+ added: ssh-ed25519 SHA256:/);
    const show = await lmc(['ftp', 'account', '--account', slug]);
    expect(show.stdout).toContain(`user:      ${slug}`);
    expect(show.stdout).toContain('password:  set');
    expect(show.stdout).toContain('test@lmc');
  });

  it('generates a key pair into files', async () => {
    const dir = await tempDir();
    const r = await lmc(['custom-ftp', 'keygen', '--out', path.join(dir, 'lmc_key')]);
    expect(r.stdout).toMatch(/^ssh-ed25519 AAAA/);
    expect((await fs.stat(path.join(dir, 'lmc_key'))).mode & 0o777).toBe(0o600);
    expect(await fs.readFile(path.join(dir, 'lmc_key.pub'), 'utf8')).toBe(r.stdout.split('\n')[0] + '\n');
  });
});
