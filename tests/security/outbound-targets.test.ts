import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { SftpSource } from '../../src/kit/file-sources/sftp.ts';
import { isNonPublicAddress } from '../../src/kit/outbound-targets.ts';
import { apiClient, buildApi, createAccountWithToken } from '../helpers/api.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { canRunSshd, ensureTestUser, startSshd, TEST_USER, type RunningSshd } from '../file-drops/helpers/sshd.ts';

// Issue 13, point 12: the Custom FTP connection test must not tell open ports from closed ones (one message
// for every failure to reach an SSH server), and the operator can forbid loopback and private targets
// (refused by default, like GitLab's "allow requests to the local network").

const PASSWORD = 'sftp-test-password-1';

async function listen(onConnection: (s: net.Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    onConnection(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

async function closedPort(): Promise<number> {
  const s = await listen(() => undefined);
  await s.close();
  return s.port;
}

describe('outbound targets: the operator setting', () => {
  it('refuses private addresses by default; true allows all; a list allows only its addresses and ranges', () => {
    expect(loadConfig({}).outboundAllowPrivate).toBe(false);
    expect(loadConfig({ LMC_OUTBOUND_ALLOW_PRIVATE: 'true' }).outboundAllowPrivate).toBe(true);
    expect(loadConfig({ LMC_OUTBOUND_ALLOW_PRIVATE: '10.20.0.0/16, 192.168.1.5' }).outboundAllowPrivate).toEqual(['10.20.0.0/16', '192.168.1.5']);
    for (const bad of ['10.0.0.0/33', 'intranet.local', '10.0.0.1/', 'yes please']) expect(() => loadConfig({ LMC_OUTBOUND_ALLOW_PRIVATE: bad }), bad).toThrow(/LMC_OUTBOUND_ALLOW_PRIVATE/);
    for (const a of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.0.9', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::5', '::ffff:127.0.0.1', '::ffff:a00:1']) {
      expect(isNonPublicAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '1.1.1.1', '2a00:1450:4007:80e::200e']) expect(isNonPublicAddress(a), a).toBe(false);
  });
});

describe('outbound targets: private servers refused by default', () => {
  let ctx: TestContext;
  let app: Awaited<ReturnType<typeof buildApi>>;
  let c: ReturnType<typeof apiClient>;
  let server: Awaited<ReturnType<typeof listen>>;
  let seen = 0;
  beforeAll(async () => {
    ctx = await createTestContext({ LMC_OUTBOUND_ALLOW_PRIVATE: 'false' });
    app = await buildApi(ctx);
    c = apiClient(app, (await createAccountWithToken(ctx)).token);
    server = await listen((s) => {
      seen++;
      s.end('SSH-2.0-OpenSSH_9.6\r\n');
    });
  });
  afterAll(async () => {
    await server?.close();
    await app?.close();
    await ctx?.destroy();
  });

  it('refuses loopback, private, link-local and mapped addresses with a 400 before connecting, and saves nothing', async () => {
    for (const host of ['127.0.0.1', 'localhost', `sftp://127.0.0.1:${server.port}`, '10.0.0.8', '169.254.169.254', '[::1]', 'sftp://[::ffff:127.0.0.1]:22', '0.0.0.0']) {
      const r = await c.post('/api/v1/connections', { connectorId: 'custom-ftp', name: 'Internal', settings: { host, port: server.port, username: 'u', password: 'p' } });
      expect(r.statusCode, `${host}: ${r.body}`).toBe(400);
      expect(r.data.error).toMatchObject({ code: 'LMC_ERR_FILEDROP_TARGET_NOT_ALLOWED', field: 'settings.host' });
      expect(r.data.error.message).toMatch(/private or local network address/);
    }
    expect(seen).toBe(0);
    expect((await c.get('/api/v1/connections')).data.connections).toEqual([]);
  });
});

describe('outbound targets: one message for every failure to reach an SSH server', () => {
  let ctx: TestContext;
  let app: Awaited<ReturnType<typeof buildApi>>;
  let c: ReturnType<typeof apiClient>;
  const servers: Array<Awaited<ReturnType<typeof listen>>> = [];
  beforeAll(async () => {
    ctx = await createTestContext({ LMC_OUTBOUND_ALLOW_PRIVATE: 'true' });
    app = await buildApi(ctx);
    c = apiClient(app, (await createAccountWithToken(ctx)).token);
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await app?.close();
    await ctx?.destroy();
  });

  it('a closed port, an FTP server, an HTTP server and an unknown name read the same', async () => {
    const ftp = await listen((s) => s.end('220 ProFTPD Server ready.\r\n'));
    const http = await listen((s) => s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\nServer: internal-admin/1.0\r\n\r\n')));
    const pg = await listen((s) => s.end('E\u0000\u0000\u0000\u0008FATAL'));
    servers.push(ftp, http, pg);
    const targets: Array<[string, number]> = [['127.0.0.1', await closedPort()], ['127.0.0.1', ftp.port], ['127.0.0.1', http.port], ['127.0.0.1', pg.port], ['no-such-host.invalid', 22]];
    const messages = new Set<string>();
    for (const [host, port] of targets) {
      const r = await c.post('/api/v1/connections', { connectorId: 'custom-ftp', name: `Probe ${port}`, settings: { host, port, username: 'u', password: 'p' } });
      expect(r.statusCode, r.body).not.toBe(201);
      expect(r.data.error.code, `${host}:${port}`).toBe('LMC_ERR_FILEDROP_CONNECT_FAILED');
      expect(r.data.error.message).toBe(`could not reach an SSH server: ${host}:${port} (check the host name and port; only SFTP servers work, not plain FTP)`);
      messages.add(r.data.error.message.replace(`${host}:${port}`, 'HOST:PORT'));
      expect(r.body).not.toMatch(/ECONNREFUSED|ENOTFOUND|220|HTTP|ProFTPD|FATAL|handshake/i);
    }
    expect([...messages]).toHaveLength(1);
    expect((await c.get('/api/v1/connections')).data.connections).toEqual([]);
  });

  it('a port that accepts and stays silent reads the same when the wait ends', async () => {
    const silent = await listen(() => undefined);
    servers.push(silent);
    const err = await SftpSource.connect({ host: '127.0.0.1', port: silent.port, username: 'u', password: 'p', basePath: '.', readyTimeoutMs: 1000 }).catch((e) => e);
    expect(err).toMatchObject({ code: 'LMC_ERR_FILEDROP_CONNECT_FAILED', message: `could not reach an SSH server: 127.0.0.1:${silent.port} (check the host name and port; only SFTP servers work, not plain FTP)` });
  });
});

describe.skipIf(!(await canRunSshd()))('outbound targets: an operator exception lets a private server through (real OpenSSH)', () => {
  let sshd: RunningSshd;
  let base: string;
  beforeAll(async () => {
    const home = ensureTestUser(PASSWORD);
    sshd = await startSshd();
    base = path.join(home, `outbound-${process.pid}-${Date.now()}`);
  });
  afterAll(async () => {
    await sshd?.stop();
    if (base) await fs.rm(base, { recursive: true, force: true });
  });

  it('LMC_OUTBOUND_ALLOW_PRIVATE=127.0.0.1/32 allows exactly that address', async () => {
    const ctx = await createTestContext({ LMC_OUTBOUND_ALLOW_PRIVATE: '127.0.0.1/32' });
    const app = await buildApi(ctx);
    try {
      const c = apiClient(app, (await createAccountWithToken(ctx)).token);
      const settings = { host: '127.0.0.1', port: sshd.port, username: TEST_USER, password: PASSWORD, basePath: base };
      const ok = await c.post('/api/v1/connections', { connectorId: 'custom-ftp', name: 'Allowed', settings });
      expect(ok.statusCode, ok.body).toBe(201);
      const other = await c.post('/api/v1/connections', { connectorId: 'custom-ftp', name: 'Other', settings: { ...settings, host: '127.0.0.2' } });
      expect(other.data.error?.code).toBe('LMC_ERR_FILEDROP_TARGET_NOT_ALLOWED');
    } finally {
      await app.close();
      await ctx.destroy();
    }
  });
});
