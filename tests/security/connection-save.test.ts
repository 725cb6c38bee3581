import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getHostKey } from '../../src/kit/file-sources/host-keys.ts';
import { apiClient, buildApi, createAccountWithToken } from '../helpers/api.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { canRunSshd, ensureTestUser, startSshd, TEST_USER, type RunningSshd } from '../file-drops/helpers/sshd.ts';

// Issue 13, point 4: a connection whose test fails must not be saved (create), nor its new settings
// (update); a folder that cannot be used is a 400 with a code, not a 500.

const PASSWORD = 'sftp-test-password-1';
const runnable = await canRunSshd();

let ctx: TestContext;
let app: Awaited<ReturnType<typeof buildApi>>;
let tmp: string;
let accountId: number;
let c: ReturnType<typeof apiClient>;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-sec-save-'));
  ctx = await createTestContext();
  app = await buildApi(ctx);
  const a = await createAccountWithToken(ctx);
  accountId = a.account.id;
  c = apiClient(app, a.token);
});
afterAll(async () => {
  await app?.close();
  await ctx?.destroy();
  await fs.rm(tmp, { recursive: true, force: true });
});

const connections = async () => (await c.get('/api/v1/connections')).data.connections as Array<{ id: number; name: string; settings: Record<string, unknown> }>;

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('local directory: nothing saved when the folder cannot be used', () => {
  it('a root that cannot be created is a 400 with a code, and no connection is saved', async () => {
    const file = path.join(tmp, 'a-file');
    await fs.writeFile(file, 'not a folder');
    const r = await c.post('/api/v1/connections', { connectorId: 'local-directory', name: 'Broken', settings: { root: path.join(file, 'drop') } });
    expect(r.statusCode, r.body).toBe(400);
    expect(r.data.error).toMatchObject({ code: 'LMC_ERR_FILEDROP_LOCAL_ROOT_UNUSABLE', field: 'settings.root' });
    expect(r.data.error.message).toContain('is not a folder');
    expect(r.data.error.message).not.toMatch(/ENOTDIR|ENOENT|EACCES/);
    expect(await connections()).toEqual([]);
  });

  it('an update to such a root is refused and keeps the settings that worked', async () => {
    const good = path.join(tmp, 'good');
    const created = await c.post('/api/v1/connections', { connectorId: 'local-directory', name: 'Good', settings: { root: good } });
    expect(created.statusCode, created.body).toBe(201);
    const r = await c.patch(`/api/v1/connections/${created.data.id}`, { name: 'Renamed', settings: { root: path.join(tmp, 'a-file', 'x') } });
    expect(r.statusCode, r.body).toBe(400);
    expect(r.data.error.code).toBe('LMC_ERR_FILEDROP_LOCAL_ROOT_UNUSABLE');
    expect((await c.get(`/api/v1/connections/${created.data.id}`)).data).toMatchObject({ name: 'Good', settings: { root: good } });
    // A change of name alone does not need the folder.
    expect((await c.patch(`/api/v1/connections/${created.data.id}`, { name: 'Renamed' })).data.name).toBe('Renamed');
  });

  it('a taken name is refused before anything is touched', async () => {
    const r = await c.post('/api/v1/connections', { connectorId: 'local-directory', name: 'renamed', settings: { root: path.join(tmp, 'untouched') } });
    expect(r.statusCode).toBe(409);
    await expect(fs.stat(path.join(tmp, 'untouched'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe.skipIf(!runnable)('Custom FTP: nothing saved when the server refuses (real OpenSSH)', () => {
  let sshd: RunningSshd;
  let base: string;
  beforeAll(async () => {
    const home = ensureTestUser(PASSWORD);
    sshd = await startSshd();
    base = path.join(home, `save-${process.pid}-${Date.now()}`);
  });
  afterAll(async () => {
    await sshd?.stop();
    if (base) await fs.rm(base, { recursive: true, force: true });
  });
  const settings = (over: Record<string, unknown> = {}) => ({ host: '127.0.0.1', port: sshd.port, username: TEST_USER, password: PASSWORD, basePath: base, ...over });

  it('a wrong password is a 400 and saves nothing (no connection, no pinned host key)', async () => {
    const r = await c.post('/api/v1/connections', { connectorId: 'custom-ftp', name: 'Wrong password', settings: settings({ password: 'wrong' }) });
    expect(r.statusCode, r.body).toBe(400);
    expect(r.data.error.code).toBe('LMC_ERR_FILEDROP_AUTH_FAILED');
    expect((await connections()).filter((x) => x.name === 'Wrong password')).toEqual([]);
    expect(await ctx.db.selectFrom('file_drop_host_keys').selectAll().where('account_id', '=', accountId).execute()).toEqual([]);
  });

  it('an update to a port without a server is refused: the saved port, the pinned key and the connection keep working', async () => {
    const created = await c.post('/api/v1/connections', { connectorId: 'custom-ftp', name: 'Acme SFTP', settings: settings() });
    expect(created.statusCode, created.body).toBe(201);
    const pinned = await getHostKey(ctx.db, accountId, created.data.id);
    expect(pinned).toMatchObject({ port: sshd.port });
    const port = await closedPort();
    const r = await c.patch(`/api/v1/connections/${created.data.id}`, { settings: { port } });
    expect(r.statusCode).toBeGreaterThanOrEqual(400);
    expect(r.statusCode).not.toBe(500);
    expect(r.data.error.code).toBe('LMC_ERR_FILEDROP_CONNECT_FAILED');
    expect((await c.get(`/api/v1/connections/${created.data.id}`)).data.settings.port).toBe(sshd.port);
    expect(await getHostKey(ctx.db, accountId, created.data.id)).toMatchObject({ port: sshd.port, fingerprint: pinned!.fingerprint });
    expect((await c.post(`/api/v1/connections/${created.data.id}/test`)).data).toMatchObject({ ok: true });
    const wrong = await c.patch(`/api/v1/connections/${created.data.id}`, { settings: { password: 'wrong' } });
    expect(wrong.statusCode).toBe(400);
    expect((await c.post(`/api/v1/connections/${created.data.id}/test`)).data).toMatchObject({ ok: true });
  });
});
