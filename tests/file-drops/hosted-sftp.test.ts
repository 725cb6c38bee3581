import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/platform/accounts.ts';
import { addHostedPublicKey, createResetToken, ensureHostedAccount, hostedHome, openHostedDrop, resetHostedPassword } from '../../src/kit/file-sources/hosted-drop.ts';
import { SftpSource } from '../../src/kit/file-sources/sftp.ts';
import { startSftpServer, type RunningSftpServer } from '../../src/sftp-server/server.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { runSftp, sshKeygen, tempDir } from './helpers/openssh.ts';

let ctx: TestContext;
let server: RunningSftpServer;
let acme: { id: number; slug: string };
let other: { id: number; slug: string };
const PASSWORD = 'correct horse battery staple';
let work: string;
let usedToken: string;

beforeAll(async () => {
  ctx = await createTestContext();
  acme = await createAccount(ctx.db, { name: 'Acme Drops' });
  other = await createAccount(ctx.db, { name: 'Other Corp' });
  await ensureHostedAccount(ctx.db, ctx.config.dataDir, acme.id, 'ops@acme.test');
  await ensureHostedAccount(ctx.db, ctx.config.dataDir, other.id, 'ops@other.test');
  const { token } = await createResetToken(ctx.db, acme.id);
  await resetHostedPassword(ctx.db, token, PASSWORD);
  usedToken = token;
  server = await startSftpServer({ db: ctx.db, dataDir: ctx.config.dataDir, log: ctx.log, host: '127.0.0.1', port: 0 });
  work = await tempDir();
  await fs.writeFile(path.join(work, 'users.csv'), 'name,email\nAda,ada@acme.test\n');
  await fs.writeFile(path.join(hostedHome(ctx.config.dataDir, other.id), 'export', 'secret.csv'), 'not yours\n');
});

afterAll(async () => {
  await server?.stop();
  await ctx?.destroy();
  await fs.rm(ctx.config.dataDir, { recursive: true, force: true });
});

describe('hosted SFTP service with the OpenSSH sftp client', () => {
  it('logs in with the password set through the one-time reset token, uploads and lists', async () => {
    const r = await runSftp({
      port: server.port,
      user: acme.slug,
      password: PASSWORD,
      cwd: work,
      commands: ['pwd', 'ls', 'cd import/user/internal', 'put users.csv', 'ls -l', 'cd /Home/export', 'ls'],
    });
    if (process.env.LMC_SFTP_DEBUG) console.log(r);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Remote working directory: /Home');
    expect(r.stdout).toMatch(/export\s+import/);
    expect(r.stdout).toMatch(/-rw-r-----\s+1 \S+\s+\S+\s+29 .* users\.csv/);
    // What the ftp connector's actions read:
    const drop = openHostedDrop(ctx.config.dataDir, acme.id);
    expect((await drop.list('import/user/internal')).map((e) => e.name)).toEqual(['users.csv']);
  });

  it('refuses a wrong password and the used reset token', async () => {
    const r = await runSftp({ port: server.port, user: acme.slug, password: 'wrong password!!', commands: ['ls'] });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Permission denied/);
    // a login whose password was never set cannot log in with an empty one
    const again = await runSftp({ port: server.port, user: other.slug, password: '', commands: ['ls'] });
    expect(again.code).not.toBe(0);
    await expect(resetHostedPassword(ctx.db, usedToken, 'another long password')).rejects.toMatchObject({ code: 'LMC_ERR_FILEDROP_RESET_TOKEN_INVALID' });
    const { token } = await createResetToken(ctx.db, other.id);
    await expect(resetHostedPassword(ctx.db, token, 'short')).rejects.toMatchObject({ code: 'LMC_ERR_FILEDROP_WEAK_PASSWORD' });
  });

  it('logs in with a public key added to the login', async () => {
    const dir = await tempDir();
    const key = await sshKeygen(dir);
    await addHostedPublicKey(ctx.db, acme.id, await fs.readFile(key + '.pub', 'utf8'));
    const r = await runSftp({ port: server.port, user: acme.slug, identity: key, cwd: work, commands: ['cd export', 'put users.csv report.csv', 'rename report.csv r2.csv', 'ls', 'rm r2.csv', 'mkdir sub', 'rmdir sub', 'ls'] });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('r2.csv');
    // a key of another login does not open this one
    const other2 = await sshKeygen(dir, 'other');
    const refused = await runSftp({ port: server.port, user: acme.slug, identity: other2, commands: ['ls'] });
    expect(refused.code).not.toBe(0);
  });

  it('keeps the session inside the account folder: .., absolute paths and symlinks do not escape', async () => {
    await fs.symlink('/etc', path.join(hostedHome(ctx.config.dataDir, acme.id), 'etc-link'));
    await fs.symlink(hostedHome(ctx.config.dataDir, other.id), path.join(hostedHome(ctx.config.dataDir, acme.id), 'other-link'));
    const tries: Array<[string, RegExp]> = [
      ['get /etc/passwd', /not found|No such file/i],
      ['get ../../../../etc/passwd', /not found|No such file/i],
      ['ls etc-link', /denied|not found|No such file/i],
      ['get etc-link/passwd', /denied|not found|No such file/i],
      ['get other-link/export/secret.csv', /denied|not found|No such file/i],
      [`get ../../${other.id}/Home/export/secret.csv`, /not found|No such file/i],
      ['put users.csv /escape.csv', /denied/i],
      ['mkdir /outside', /denied/i],
      ['rename import /moved', /denied/i],
      ['symlink /etc/passwd import/p', /unsupported|failure|denied/i],
    ];
    for (const [cmd, err] of tries) {
      const r = await runSftp({ port: server.port, user: acme.slug, password: PASSWORD, cwd: work, commands: [cmd] });
      expect(r.code, cmd).not.toBe(0);
      expect(r.stderr, cmd).toMatch(err);
    }
    const up = await runSftp({ port: server.port, user: acme.slug, password: PASSWORD, commands: ['cd ../../..', 'pwd', 'ls'] });
    expect(up.stdout).toContain('Remote working directory: /\n');
    expect(up.stdout.trim().split('\n').pop()).toMatch(/^Home\s*$/);
    // the links are not listed either
    const ls = await runSftp({ port: server.port, user: acme.slug, password: PASSWORD, commands: ['ls'] });
    expect(ls.stdout).not.toContain('etc-link');
    expect(await fs.readFile(path.join(hostedHome(ctx.config.dataDir, other.id), 'export', 'secret.csv'), 'utf8')).toBe('not yours\n');
  });

  it('serves the ssh2-sftp-client FileSource too (what scripts and the benchmark use): write, list, read, remove', async () => {
    const src = await SftpSource.connect({ host: '127.0.0.1', port: server.port, username: acme.slug, password: PASSWORD, basePath: '/Home' });
    try {
      await src.ensureDir('import/xapi/2026');
      await src.write('import/xapi/2026/s.json', '[]');
      await src.write('import/xapi/2026/s.json', '[1]'); // replaces it (no posix-rename: delete, then rename)
      expect((await src.list('import/xapi/2026')).map((e) => [e.name, e.size])).toEqual([['s.json', 3]]);
      const chunks: Buffer[] = [];
      for await (const c of await src.read('import/xapi/2026/s.json')) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks).toString()).toBe('[1]');
      await src.remove('import/xapi/2026/s.json');
      expect(await src.list('import/xapi/2026')).toEqual([]);
    } finally {
      await src.close();
    }
  });

  it('drops a connection that does not log in within the grace time', async () => {
    const quick = await startSftpServer({ db: ctx.db, dataDir: ctx.config.dataDir, log: ctx.log, host: '127.0.0.1', port: 0, loginGraceMs: 300 });
    try {
      const closed = await new Promise<boolean>((resolve) => {
        const s = net.connect(quick.port, '127.0.0.1', () => s.write('SSH-2.0-idle\r\n'));
        s.on('close', () => resolve(true));
        s.on('error', () => undefined);
        s.resume();
      });
      expect(closed).toBe(true);
    } finally {
      await quick.stop();
    }
  });

  it('refuses shell and exec: the login serves SFTP only', async () => {
    const { execFile } = await import('node:child_process');
    const dir = await tempDir();
    const key = await sshKeygen(dir, 'k2');
    await addHostedPublicKey(ctx.db, acme.id, await fs.readFile(key + '.pub', 'utf8'));
    const r = await new Promise<{ code: number; out: string }>((resolve) =>
      execFile('ssh', ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-i', key, '-p', String(server.port), `${acme.slug}@127.0.0.1`, 'cat /etc/passwd'], { timeout: 20_000 }, (e, out, err) =>
        resolve({ code: e ? 1 : 0, out: String(out) + String(err) }),
      ),
    );
    expect(r.code).not.toBe(0);
    expect(r.out).not.toContain('root:');
  });
});
