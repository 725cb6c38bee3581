import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import customFtp from '../../src/connectors/custom-ftp/manifest.ts';
import { customFtpSettings, type CustomFtpSettings } from '../../src/connectors/custom-ftp/settings.ts';
import type { ConnectorEnv } from '../../src/kit/define-connector.ts';
import { acceptPendingHostKey, getHostKey } from '../../src/kit/file-sources/host-keys.ts';
import { parseSftpHost, SftpSource } from '../../src/kit/file-sources/sftp.ts';
import { generateSshKeyPair } from '../../src/kit/file-sources/ssh-keys.ts';
import { createAccount } from '../../src/platform/accounts.ts';
import { connectorEnv } from '../../src/engine/connections.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { apiClient, buildApi, createAccountWithToken } from '../helpers/api.ts';
import { canRunSshd, ensureTestUser, startSshd, TEST_USER, type RunningSshd } from './helpers/sshd.ts';

const PASSWORD = 'sftp-test-password-1';
const runnable = await canRunSshd();

let ctx: TestContext;
let sshd: RunningSshd;
let home: string;
let accountId: number;
let base: string;
const envFor = (connectionId: number): ConnectorEnv => connectorEnv(ctx, accountId, connectionId);
const text = async (r: NodeJS.ReadableStream) => {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString();
};

describe('Custom FTP: settings', () => {
  it('refuses plain FTP with a clear message', () => {
    const r = customFtpSettings.safeParse({ host: 'ftp://files.acme.test', username: 'u', password: 'p' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toMatch(/plain FTP is not supported/);
    expect(() => parseSftpHost('ftps://files.acme.test')).toThrow(/plain FTP is not supported/);
    expect(parseSftpHost('sftp://files.acme.test:2022')).toEqual({ host: 'files.acme.test', port: 2022 });
    expect(parseSftpHost('files.acme.test', 22)).toEqual({ host: 'files.acme.test', port: 22 });
  });

  it('needs the password for basic and the private key for certificate authentication', () => {
    expect(customFtpSettings.safeParse({ host: 'h', username: 'u' }).error?.issues[0].path).toEqual(['password']);
    expect(customFtpSettings.safeParse({ host: 'h', username: 'u', authType: 'certificate' }).error?.issues[0].path).toEqual(['privateKey']);
    expect(customFtpSettings.parse({ host: 'h', username: 'u', password: 'p' })).toMatchObject({ port: 22, basePath: '.', authType: 'basic' });
  });

  it('a port answering as an FTP server gets the one "could not reach an SSH server" message, which hints at plain FTP', async () => {
    // Not a special message: it would tell open ports from closed ones (tests/security/outbound-targets.test.ts).
    const ftp = net.createServer((s) => s.end('220 ProFTPD Server ready.\r\n'));
    await new Promise<void>((r) => ftp.listen(0, '127.0.0.1', () => r()));
    const port = (ftp.address() as net.AddressInfo).port;
    await expect(SftpSource.connect({ host: '127.0.0.1', port, username: 'u', password: 'p', basePath: '.', readyTimeoutMs: 5000 })).rejects.toMatchObject({
      code: 'LMC_ERR_FILEDROP_CONNECT_FAILED',
      message: `could not reach an SSH server: 127.0.0.1:${port} (check the host name and port; only SFTP servers work, not plain FTP)`,
    });
    ftp.close();
  });
});

describe.skipIf(!runnable)('Custom FTP against a real OpenSSH sshd', () => {
  beforeAll(async () => {
    ctx = await createTestContext();
    accountId = (await createAccount(ctx.db, { name: 'Custom FTP Co' })).id;
    home = ensureTestUser(PASSWORD);
    sshd = await startSshd();
    base = path.join(home, `drop-${process.pid}-${Date.now()}`);
  });
  afterAll(async () => {
    await sshd?.stop();
    await ctx?.destroy();
    if (base) await fs.rm(base, { recursive: true, force: true });
  });

  const basic = () => customFtpSettings.parse({ host: '127.0.0.1', port: sshd.port, username: TEST_USER, password: PASSWORD, basePath: base }) as Extract<CustomFtpSettings, { authType: 'basic' }>;

  it('connects with a password, creates the folders on connect, writes atomically, reads, lists, removes', async () => {
    const env = envFor(101);
    const t = await customFtp.testConnection(basic(), env);
    expect(t.ok, t.message).toBe(true);
    await customFtp.onConnect!(basic(), env);
    for (const f of ['import/user/internal', 'import/xapi', 'export']) expect((await fs.stat(path.join(base, f))).isDirectory()).toBe(true);
    const files = await customFtp.openFiles!(basic(), env);
    try {
      await files.write('export/transcripts.csv', 'email,course\na@x.test,c1\n');
      await files.write('export/transcripts.csv', 'email,course\nb@x.test,c2\n'); // replaces the old one
      expect(await fs.readdir(path.join(base, 'export'))).toEqual(['transcripts.csv']); // no temp file left
      expect((await files.list('export')).map((e) => [e.name, e.size])).toEqual([['transcripts.csv', 25]]);
      expect(await text(await files.read('export/transcripts.csv'))).toBe('email,course\nb@x.test,c2\n');
      await fs.writeFile(path.join(base, 'import/user/internal/users.csv'), 'name,email\n');
      expect((await files.list('import/user/internal')).map((e) => e.name)).toEqual(['users.csv']);
      expect((await files.list('import')).map((e) => [e.name, e.isDirectory])).toEqual([['user', true], ['xapi', true]]);
      await files.remove('import/user/internal/users.csv');
      expect(await files.list('import/user/internal')).toEqual([]);
      expect(await files.list('no/such')).toEqual([]);
      await expect(files.read('export/nope.csv')).rejects.toMatchObject({ code: 'LMC_ERR_FILEDROP_PATH_NOT_FOUND' });
      // Reads keep several requests in flight (sftp-read-ahead.ts): the bytes come back whole and in order,
      // at every size around the chunk boundaries, and a slow reader (backpressure) changes nothing.
      const big = crypto.randomBytes(3 * 1024 * 1024 + 12345);
      for (const size of [0, 1, 32 * 1024 - 1, 32 * 1024, 32 * 1024 + 1, 32 * 32 * 1024, big.length]) {
        await fs.writeFile(path.join(base, 'export/blob.bin'), big.subarray(0, size));
        const got = Buffer.concat(await (await files.read('export/blob.bin')).toArray());
        expect(got.equals(big.subarray(0, size)), `size ${size}`).toBe(true);
      }
      const slow: Buffer[] = [];
      for await (const c of await files.read('export/blob.bin')) {
        slow.push(c as Buffer);
        await new Promise((r) => setTimeout(r, 2));
      }
      expect(Buffer.concat(slow).equals(big)).toBe(true);
    } finally {
      await files.close();
    }
    expect(await getHostKey(ctx.db, accountId, 101)).toMatchObject({ keyType: 'ssh-ed25519', fingerprint: expect.stringMatching(/^SHA256:/) });
  });

  it('refuses a wrong password with a clear message', async () => {
    const t = await customFtp.testConnection({ ...basic(), password: 'wrong' }, envFor(102));
    expect(t.ok).toBe(false);
    expect(t.message).toMatch(/refused the credentials/);
  });

  it('connects with a generated key pair (certificate authentication)', async () => {
    const pair = generateSshKeyPair('ed25519', 'lmc-test');
    expect(pair.publicKey).toMatch(/^ssh-ed25519 AAAA\S+ lmc-test$/);
    const settings = customFtpSettings.parse({ host: `sftp://127.0.0.1:${sshd.port}`, username: TEST_USER, authType: 'certificate', privateKey: pair.privateKey, basePath: base }) as Extract<CustomFtpSettings, { authType: 'certificate' }>;
    const before = await customFtp.testConnection(settings, envFor(103));
    expect(before.ok).toBe(false);
    await sshd.authorize(pair.publicKey);
    const after = await customFtp.testConnection(settings, envFor(103));
    expect(after.ok, after.message).toBe(true);
    const rsa = generateSshKeyPair('rsa');
    await sshd.authorize(rsa.publicKey);
    expect((await customFtp.testConnection({ ...settings, privateKey: rsa.privateKey }, envFor(103))).ok).toBe(true);
  });

  it('pins the host key and refuses a changed one until an admin accepts it', async () => {
    const env = envFor(104);
    expect((await customFtp.testConnection(basic(), env)).ok).toBe(true);
    const pinned = await getHostKey(ctx.db, accountId, 104);
    await sshd.rotateHostKey();
    const t = await customFtp.testConnection(basic(), env);
    expect(t.ok).toBe(false);
    expect(t.message).toMatch(/host key changed/);
    await expect(customFtp.openFiles!(basic(), env)).rejects.toMatchObject({ code: 'LMC_ERR_FILEDROP_HOST_KEY_CHANGED' });
    const pending = await getHostKey(ctx.db, accountId, 104);
    expect(pending).toMatchObject({ fingerprint: pinned!.fingerprint, pendingFingerprint: expect.stringMatching(/^SHA256:/) });
    expect(pending!.pendingFingerprint).not.toBe(pinned!.fingerprint);
    await expect(acceptPendingHostKey(ctx.db, accountId, 104, 'SHA256:not-the-one')).rejects.toMatchObject({ code: 'LMC_ERR_FILEDROP_NO_PENDING_HOST_KEY' });
    await acceptPendingHostKey(ctx.db, accountId, 104, pending!.pendingFingerprint!);
    expect((await customFtp.testConnection(basic(), env)).ok).toBe(true);
    expect((await getHostKey(ctx.db, accountId, 104))!.fingerprint).toBe(pending!.pendingFingerprint);
  });

  it('through the API: key pair, certificate connection, its public key, host key pin and acceptance', async () => {
    const app = await buildApi(ctx);
    try {
      const { token } = await createAccountWithToken(ctx);
      const c = apiClient(app, token);
      const pair = (await c.post('/api/v1/connectors/custom-ftp/key-pair', { type: 'ed25519' })).data;
      await sshd.authorize(pair.publicKey);
      const conn = await c.post('/api/v1/connections', {
        connectorId: 'custom-ftp',
        name: 'Acme SFTP',
        settings: { host: `sftp://127.0.0.1:${sshd.port}`, username: TEST_USER, authType: 'certificate', privateKey: pair.privateKey, basePath: `${base}/api` },
      });
      expect(conn.statusCode, conn.body).toBe(201);
      expect(conn.body).not.toContain('PRIVATE KEY');
      expect(conn.data.secrets).toEqual({ password: false, privateKey: true });
      expect((await fs.stat(path.join(base, 'api/import/user/internal'))).isDirectory()).toBe(true);
      const pub = await c.get(`/api/v1/connections/${conn.data.id}/public-key`);
      expect(pub.body.split(' ').slice(0, 2)).toEqual(pair.publicKey.split(' ').slice(0, 2));
      const pinned = (await c.get(`/api/v1/connections/${conn.data.id}/host-key`)).data;
      expect(pinned).toMatchObject({ keyType: 'ssh-ed25519', pendingFingerprint: null });
      await sshd.rotateHostKey();
      const refused = (await c.post(`/api/v1/connections/${conn.data.id}/test`)).data;
      expect(refused).toMatchObject({ ok: false, message: expect.stringContaining('host key changed') });
      const pending = (await c.get(`/api/v1/connections/${conn.data.id}/host-key`)).data;
      expect(pending.pendingFingerprint).toMatch(/^SHA256:/);
      expect((await c.post(`/api/v1/connections/${conn.data.id}/host-key/accept`, { fingerprint: pending.pendingFingerprint })).data).toEqual({ fingerprint: pending.pendingFingerprint });
      expect((await c.post(`/api/v1/connections/${conn.data.id}/test`)).data.ok).toBe(true);
    } finally {
      await app.close();
    }
  });
});
