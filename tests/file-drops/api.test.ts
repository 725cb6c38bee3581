import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src/api/types.ts';
import { startSftpServer, type RunningSftpServer } from '../../src/sftp-server/server.ts';
import { apiClient, buildApi, createAccountWithToken } from '../helpers/api.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { runSftp, sshKeygen, tempDir } from './helpers/openssh.ts';

let ctx: TestContext;
let app: Api;
let server: RunningSftpServer;

beforeAll(async () => {
  ctx = await createTestContext();
  app = await buildApi(ctx);
  server = await startSftpServer({ db: ctx.db, dataDir: ctx.config.dataDir, log: ctx.log, host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await server?.stop();
  await app?.close();
  await ctx?.destroy();
  await fs.rm(ctx.config.dataDir, { recursive: true, force: true });
});

describe('file drops through the API', () => {
  it('connects the FTP connector, hands out a reset link, sets the password, and the login works', async () => {
    const { token, account } = await createAccountWithToken(ctx);
    const c = apiClient(app, token);
    expect((await c.get('/api/v1/ftp/account')).data.error.code).toBe('LMC_ERR_FILEDROP_HOSTED_ACCOUNT_NOT_FOUND');
    const conn = await c.post('/api/v1/connections', { connectorId: 'ftp', name: 'Hosted drop', settings: { email: 'ops@acme.test' } });
    expect(conn.statusCode, conn.body).toBe(201);
    const acct = await c.get('/api/v1/ftp/account');
    expect(acct.data).toMatchObject({ username: account.slug, email: 'ops@acme.test', hasPassword: false, hostKeyFingerprint: expect.stringMatching(/^SHA256:/), folders: ['Home/import/user/internal', 'Home/import/xapi', 'Home/export'] });
    const test = await c.post(`/api/v1/connections/${conn.data.id}/test`);
    // Reached, but nobody can log in yet: `pending` says what is left (the screens never say it works).
    expect(test.data).toMatchObject({ ok: true, pending: expect.stringContaining('no password or SSH key yet') });

    const link = await c.post('/api/v1/ftp/account/reset-link');
    expect(link.data.link).toBe(`/ftp/reset-password?token=${encodeURIComponent(link.data.token)}`);
    const page = await apiClient(app).get(link.data.link);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain("fetch('/api/v1/ftp/reset-password'");
    const pub = apiClient(app);
    expect((await pub.post('/api/v1/ftp/reset-password', { token: link.data.token, password: 'short' })).data.error.code).toBe('LMC_ERR_FILEDROP_WEAK_PASSWORD');
    expect((await pub.post('/api/v1/ftp/reset-password', { token: link.data.token, password: 'a long enough password' })).data).toEqual({ username: account.slug });
    expect((await pub.post('/api/v1/ftp/reset-password', { token: link.data.token, password: 'a long enough password' })).data.error.code).toBe('LMC_ERR_FILEDROP_RESET_TOKEN_INVALID');

    const work = await tempDir();
    await fs.writeFile(path.join(work, 'hr.csv'), 'name,email\n');
    const r = await runSftp({ port: server.port, user: account.slug, password: 'a long enough password', cwd: work, commands: ['put hr.csv import/user/internal/hr.csv'] });
    expect(r.code, r.stderr).toBe(0);

    // a public key added through the API logs in too, and can be removed again
    const key = await sshKeygen(work);
    const added = await c.post('/api/v1/ftp/account/public-keys', { publicKey: await fs.readFile(key + '.pub', 'utf8') });
    expect(added.statusCode).toBe(201);
    expect(added.data.fingerprint).toMatch(/^SHA256:/);
    expect((await runSftp({ port: server.port, user: account.slug, identity: key, commands: ['ls import/user/internal'] })).stdout).toContain('hr.csv');
    expect((await c.delete(`/api/v1/ftp/account/public-keys/${added.data.id}`)).statusCode).toBe(204);
    expect((await runSftp({ port: server.port, user: account.slug, identity: key, commands: ['ls'] })).code).not.toBe(0);
    expect((await c.post('/api/v1/ftp/account/public-keys', { publicKey: 'not a key' })).data.error.code).toBe('LMC_ERR_FILEDROP_INVALID_PUBLIC_KEY');
  });

  it('generates a Custom FTP key pair and shows the public key of a certificate connection, never the private key', async () => {
    const { token } = await createAccountWithToken(ctx);
    const c = apiClient(app, token);
    const pair = await c.post('/api/v1/connectors/custom-ftp/key-pair', { type: 'ed25519' });
    expect(pair.data.publicKey).toMatch(/^ssh-ed25519 AAAA/);
    expect(pair.data.privateKey).toContain('OPENSSH PRIVATE KEY');
    // onConnect cannot reach this server: the connection is refused with a connect error, nothing pretends
    const conn = await c.post('/api/v1/connections', { connectorId: 'custom-ftp', name: 'Theirs', settings: { host: 'ftp://files.acme.test', username: 'lmc', authType: 'certificate', privateKey: pair.data.privateKey } });
    expect(conn.statusCode).toBe(400);
    expect(conn.body).toContain('plain FTP is not supported');
  });

  it('lists the three file-drop connectors with form schemas marking their secrets', async () => {
    const { token } = await createAccountWithToken(ctx);
    const c = apiClient(app, token);
    const ids = (await c.get('/api/v1/connectors')).data.connectors.map((x: { id: string }) => x.id);
    expect(ids).toEqual(expect.arrayContaining(['ftp', 'custom-ftp', 'box']));
    const custom = (await c.get('/api/v1/connectors/custom-ftp')).data;
    expect(custom.secretFields.sort()).toEqual(['password', 'privateKey']);
    // One branch per way of signing in: the form shows the password or the private key, never both.
    expect(custom.settingsSchema.oneOf.map((b: { properties: { authType: { const: string } } }) => b.properties.authType.const)).toEqual(['basic', 'certificate']);
    expect(custom.settingsSchema.oneOf.map((b: { title: string }) => b.title)).toEqual(['Password', 'SSH key']);
    expect((await c.get('/api/v1/connectors/box')).data.secretFields).toEqual(['clientSecret']);
    expect((await c.get('/api/v1/connectors/ftp')).data.settingsSchema.required).toEqual(['email']);
  });

  it('refuses a second Learning Manager FTP connection of an account, leaving the login as it was', async () => {
    const { token } = await createAccountWithToken(ctx);
    const c = apiClient(app, token);
    expect((await c.post('/api/v1/connections', { connectorId: 'ftp', name: 'Hosted', settings: { email: 'first@acme.test' } })).statusCode).toBe(201);
    const second = await c.post('/api/v1/connections', { connectorId: 'ftp', name: 'Hosted again', settings: { email: 'second@acme.test' } });
    expect(second.statusCode).toBe(409);
    expect(second.data.error).toMatchObject({ code: 'LMC_ERR_CONNECTION_ONE_PER_ACCOUNT', message: 'an account has one connection of this connector: Learning Manager FTP is already connected as "Hosted"; change that connection instead' });
    expect((await c.get('/api/v1/ftp/account')).data.email).toBe('first@acme.test');
    expect((await c.get('/api/v1/connections')).data.connections.map((x: { name: string }) => x.name)).toEqual(['Hosted']);
    expect((await c.get('/api/v1/connectors/ftp')).data.onePerAccount).toBe(true);
    // another account has its own
    const other = await createAccountWithToken(ctx);
    expect((await apiClient(app, other.token).post('/api/v1/connections', { connectorId: 'ftp', name: 'Hosted', settings: { email: 'o@acme.test' } })).statusCode).toBe(201);
  });

  it('keeps host key endpoints to the account and says when nothing is pinned', async () => {
    const { token } = await createAccountWithToken(ctx);
    const c = apiClient(app, token);
    const conn = await c.post('/api/v1/connections', { connectorId: 'ftp', name: 'Hosted', settings: { email: 'x@acme.test' } });
    expect((await c.get(`/api/v1/connections/${conn.data.id}/host-key`)).statusCode).toBe(404);
    expect((await c.post(`/api/v1/connections/${conn.data.id}/host-key/accept`, {})).data.error.code).toBe('LMC_ERR_FILEDROP_NO_PENDING_HOST_KEY');
    expect((await c.get(`/api/v1/connections/${conn.data.id}/public-key`)).statusCode).toBe(404);
    const other = await createAccountWithToken(ctx);
    expect((await apiClient(app, other.token).get(`/api/v1/connections/${conn.data.id}/host-key`)).statusCode).toBe(404);
  });
});
