import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { bounded, mkdirSteps } from '../../src/kit/file-sources/bounded-fs.ts';
import { hostedHome } from '../../src/kit/file-sources/hosted-drop.ts';
import { LocalDirectorySource } from '../../src/kit/file-sources/local-directory.ts';
import { openLocalDropRoot } from '../../src/kit/file-sources/local-drop-roots.ts';
import { apiClient, buildApi, createAccountWithToken } from '../helpers/api.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';

// Issue 13, points 2 and 3: a local-directory root is a folder of the server's disk typed by an account's
// admin. It must stay inside the folders the operator allows, never reach the data directory (secret key,
// database password, other accounts' hosted SFTP files) nor another account's drop, never a special file
// system, at save time and again whenever the files are opened.

let ctx: TestContext;
let app: Awaited<ReturnType<typeof buildApi>>;
let tmp: string;
let allowed: string;
let a: Awaited<ReturnType<typeof createAccountWithToken>>;
let b: Awaited<ReturnType<typeof createAccountWithToken>>;
let asA: ReturnType<typeof apiClient>;
let asB: ReturnType<typeof apiClient>;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-sec-roots-'));
  allowed = path.join(tmp, 'allowed');
  // The operator allows <tmp>/allowed/<account id> to each account (besides <dataDir>/drops/<account id>).
  ctx = await createTestContext({ LMC_LOCAL_DROP_ROOTS: path.join(allowed, '{account}') });
  app = await buildApi(ctx);
  a = await createAccountWithToken(ctx, { name: 'Account A' });
  b = await createAccountWithToken(ctx, { name: 'Account B' });
  asA = apiClient(app, a.token);
  asB = apiClient(app, b.token);
  // Account A has a hosted SFTP drop with a file of users in it.
  expect((await asA.post('/api/v1/connections', { connectorId: 'ftp', name: 'Hosted', settings: { email: 'ops@a.test' } })).statusCode).toBe(201);
  await fs.writeFile(path.join(hostedHome(ctx.config.dataDir, a.account.id), 'import/user/internal/users.csv'), 'email,secret_column_of_a\nx@a.test,1\n');
});
afterAll(async () => {
  await app?.close();
  await ctx?.destroy();
  await fs.rm(tmp, { recursive: true, force: true });
});

const createDrop = (client: ReturnType<typeof apiClient>, root: string, name = `Drop ${Math.random().toString(36).slice(2, 8)}`) =>
  client.post('/api/v1/connections', { connectorId: 'local-directory', name, settings: { root } });
const localConnections = async (client: ReturnType<typeof apiClient>) => (await client.get('/api/v1/connections?connectorId=local-directory')).data.connections;

describe('local-directory roots: where an account may point its drop', () => {
  it('by default allows only <dataDir>/drops/<account>: no other folder is allowed without LMC_LOCAL_DROP_ROOTS', () => {
    expect(loadConfig({}).localDropRoots).toEqual([]);
    expect(loadConfig({ LMC_LOCAL_DROP_ROOTS: '/srv/a:/srv/b/{account}' }).localDropRoots).toEqual(['/srv/a', '/srv/b/{account}']);
  });

  it("refuses another account's hosted SFTP folder, the data directory and its secret files, and saves nothing", async () => {
    const dataDir = ctx.config.dataDir;
    for (const root of [hostedHome(dataDir, a.account.id), path.join(dataDir, 'sftp'), dataDir, path.dirname(dataDir), path.join(dataDir, 'drops', String(a.account.id)), path.join(dataDir, 'drops')]) {
      const r = await createDrop(asB, root);
      expect(r.statusCode, `${root}: ${r.body}`).toBe(400);
      expect(r.data.error).toMatchObject({ code: 'LMC_ERR_FILEDROP_LOCAL_ROOT_NOT_ALLOWED', field: 'settings.root' });
    }
    expect(await localConnections(asB)).toEqual([]);
    // Nothing was created inside the data directory either.
    expect(await fs.readdir(path.join(dataDir, 'sftp', String(a.account.id)))).toEqual(['Home']);
  });

  it('refuses a folder outside the allowed ones, naming the folders that are allowed', async () => {
    const r = await createDrop(asB, path.join(tmp, 'elsewhere'));
    expect(r.statusCode).toBe(400);
    expect(r.data.error.code).toBe('LMC_ERR_FILEDROP_LOCAL_ROOT_NOT_ALLOWED');
    expect(r.data.error.message).toContain(path.join(ctx.config.dataDir, 'drops', String(b.account.id)));
    expect(r.data.error.message).toContain(path.join(allowed, String(b.account.id)));
    // The operator's folder of another account is not this account's.
    expect((await createDrop(asB, path.join(allowed, String(a.account.id), 'hr'))).statusCode).toBe(400);
    await expect(fs.stat(path.join(tmp, 'elsewhere'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it("accepts the account's own folders and creates the layout there", async () => {
    const own = path.join(ctx.config.dataDir, 'drops', String(b.account.id), 'hr');
    const r1 = await createDrop(asB, own, 'Own drop');
    expect(r1.statusCode, r1.body).toBe(201);
    expect((await fs.stat(path.join(own, 'import/user/internal'))).isDirectory()).toBe(true);
    const listed = path.join(allowed, String(b.account.id), 'lms');
    const r2 = await createDrop(asB, listed, 'Listed drop');
    expect(r2.statusCode, r2.body).toBe(201);
    expect((await fs.stat(path.join(listed, 'export'))).isDirectory()).toBe(true);
  });

  it('follows symbolic links before deciding: a link inside an allowed folder that leads to the data directory is refused', async () => {
    const link = path.join(allowed, String(b.account.id), 'link-to-a');
    await fs.mkdir(path.dirname(link), { recursive: true });
    await fs.symlink(hostedHome(ctx.config.dataDir, a.account.id), link);
    const r = await createDrop(asB, link);
    expect(r.statusCode, r.body).toBe(400);
    expect(r.data.error.code).toBe('LMC_ERR_FILEDROP_LOCAL_ROOT_NOT_ALLOWED');
    expect((await createDrop(asB, path.join(link, '..', '..', '..', 'etc'))).statusCode).toBe(400);
  });

  it('checks again when the files are opened: a saved root later swapped for a link to another account is refused', async () => {
    const root = path.join(allowed, String(b.account.id), 'swapped');
    const r = await createDrop(asB, root, 'Swapped');
    expect(r.statusCode, r.body).toBe(201);
    const before = await asB.get(`/api/v1/connections/${r.data.id}/user-import/columns`);
    expect(before.statusCode, before.body).toBe(200);
    await fs.rm(root, { recursive: true });
    await fs.symlink(hostedHome(ctx.config.dataDir, a.account.id), root);
    const after = await asB.get(`/api/v1/connections/${r.data.id}/user-import/columns`);
    expect(after.body).not.toContain('secret_column_of_a');
    expect(after.statusCode, after.body).toBe(400);
    expect(after.data.error.code).toBe('LMC_ERR_FILEDROP_LOCAL_ROOT_NOT_ALLOWED');
  });

  it('an open drop keeps to the folder it checked: swapped for a link meanwhile, its paths lead nowhere', async () => {
    const root = path.join(allowed, String(b.account.id), 'open-then-swapped');
    const r = await createDrop(asB, root, 'Open then swapped');
    expect(r.statusCode, r.body).toBe(201);
    const real = await openLocalDropRoot(ctx.db, ctx.config, b.account.id, root);
    const drop = new LocalDirectorySource(real, { checkedRealRoot: true });
    await fs.rename(root, `${root}.old`);
    await fs.symlink(hostedHome(ctx.config.dataDir, a.account.id), root);
    await expect(drop.list('import/user/internal')).rejects.toMatchObject({ code: 'LMC_ERR_FILEDROP_PATH_OUTSIDE_ROOT' });
    await expect(drop.read('import/user/internal/users.csv')).rejects.toMatchObject({ code: 'LMC_ERR_FILEDROP_PATH_OUTSIDE_ROOT' });
  });

  it("refuses a folder holding, or inside, another account's local-directory drop", async () => {
    // The operator lists one folder for every account; account A takes a part of it first.
    const shared = path.join(tmp, 'shared');
    const c = await createTestContext({ LMC_LOCAL_DROP_ROOTS: shared });
    const api = await buildApi(c);
    try {
      const x = apiClient(api, (await createAccountWithToken(c, { name: 'X' })).token);
      const y = apiClient(api, (await createAccountWithToken(c, { name: 'Y' })).token);
      expect((await createDrop(x, path.join(shared, 'x'))).statusCode).toBe(201);
      for (const root of [path.join(shared, 'x'), path.join(shared, 'x', 'import'), shared]) {
        const r = await createDrop(y, root);
        expect(r.statusCode, root).toBe(400);
        expect(r.data.error.code).toBe('LMC_ERR_FILEDROP_LOCAL_ROOT_NOT_ALLOWED');
      }
      expect((await createDrop(y, path.join(shared, 'y'))).statusCode).toBe(201);
    } finally {
      await api.close();
      await c.destroy();
    }
  });
});

describe('local-directory roots: special file systems (point 3)', () => {
  it('refuses /proc/self at once with a code instead of spinning a core for ever, and saves nothing', async () => {
    const c = await createTestContext({ LMC_LOCAL_DROP_ROOTS: '/' });
    const api = await buildApi(c);
    try {
      const x = apiClient(api, (await createAccountWithToken(c, { name: 'Proc' })).token);
      for (const root of ['/proc/self', '/proc/self/fd/drop', '/sys/kernel', '/dev/shm/drop']) {
        const started = Date.now();
        const r = await createDrop(x, root);
        expect(r.statusCode, `${root}: ${r.body}`).toBe(400);
        expect(r.data.error.code).toBe('LMC_ERR_FILEDROP_LOCAL_ROOT_NOT_ALLOWED');
        expect(Date.now() - started).toBeLessThan(5000);
      }
      expect(await localConnections(x)).toEqual([]);
    } finally {
      await api.close();
      await c.destroy();
    }
  });

  it('makes folders one level at a time, which fails under /proc where a recursive mkdir never returns', async () => {
    await expect(bounded(mkdirSteps('/proc/self/import/user/internal'), 'test', 5000)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('bounds a file-system call that never answers', async () => {
    await expect(bounded(new Promise(() => undefined), 'listing /mnt/dead', 50)).rejects.toMatchObject({ code: 'LMC_ERR_FILEDROP_FS_TIMEOUT', status: 504 });
  });
});
