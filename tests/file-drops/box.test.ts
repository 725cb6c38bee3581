import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import boxConnector from '../../src/connectors/box/manifest.ts';
import type { ConnectorEnv } from '../../src/kit/define-connector.ts';
import { BoxSource } from '../../src/kit/file-sources/box.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { DEFAULT_BOX_APP, startBoxSimulator, type BoxSimulator } from '../../simulators/box/server.ts';

let sim: BoxSimulator;
let rootFolderId: string;
const env = { accountId: 1, connectionId: 1, dataDir: '/nonexistent', log: createLogger('silent') } as unknown as ConnectorEnv;
const settings = () => ({ clientId: DEFAULT_BOX_APP.clientId, clientSecret: DEFAULT_BOX_APP.clientSecret, enterpriseId: DEFAULT_BOX_APP.enterpriseId, rootFolderId, apiBaseUrl: sim.url });
const text = async (r: NodeJS.ReadableStream) => {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString();
};

beforeAll(async () => {
  sim = await startBoxSimulator();
  rootFolderId = sim.store.addFolder('0', 'Learning Manager').id;
});
afterAll(async () => {
  await sim?.close();
});

describe('Box connector against the Box simulator (official SDK, custom base URL)', () => {
  it('validates settings: either the enterprise or the user id', () => {
    expect(boxConnector.settings.safeParse({ clientId: 'a', clientSecret: 'b', rootFolderId: '1' }).success).toBe(false);
    expect(boxConnector.settings.safeParse({ clientId: 'a', clientSecret: 'b', userId: '2000001' }).success).toBe(true);
    // the secret is sent to apiBaseUrl: https only, except to this machine
    expect(boxConnector.settings.safeParse({ clientId: 'a', clientSecret: 'b', userId: '2', apiBaseUrl: 'http://box.evil.test' }).success).toBe(false);
    expect(boxConnector.settings.safeParse({ clientId: 'a', clientSecret: 'b', userId: '2', apiBaseUrl: 'https://api.box.com' }).success).toBe(true);
  });

  it('tests the connection and reports bad credentials clearly', async () => {
    const ok = await boxConnector.testConnection(settings(), env);
    expect(ok).toEqual({ ok: true, message: 'connected to Box; folder ' + rootFolderId + ' is "Learning Manager"' });
    const bad = await boxConnector.testConnection({ ...settings(), clientSecret: 'wrong' }, env);
    expect(bad.ok).toBe(false);
    expect(bad.message).toMatch(/^Box refused the client credentials.*400 The client credentials are invalid/);
    const asUser = await boxConnector.testConnection({ ...settings(), enterpriseId: undefined, userId: DEFAULT_BOX_APP.userIds[0] }, env);
    expect(asUser.ok).toBe(true);
  });

  it('creates the folder layout on connect, idempotently', async () => {
    await boxConnector.onConnect!(settings(), env);
    await boxConnector.onConnect!(settings(), env);
    for (const p of ['import/user/internal', 'import/xapi', 'export']) expect(sim.store.byPath(p, rootFolderId)?.type).toBe('folder');
    expect(sim.store.children(rootFolderId).map((i) => i.name)).toEqual(['export', 'import']);
  });

  it('writes (attributes part first, temp name then rename), lists, reads, overwrites and removes', async () => {
    const files = await boxConnector.openFiles!(settings(), env);
    await files.write('export/skills.csv', 'a,b\n1,2\n');
    await files.write('export/skills.csv', 'a,b\n3,4\n');
    const list = await files.list('export');
    expect(list.map((e) => [e.name, e.size, e.isDirectory])).toEqual([['skills.csv', 8, false]]);
    expect(sim.store.children(sim.store.byPath('export', rootFolderId)!.id).map((i) => i.name)).toEqual(['skills.csv']);
    expect(await text(await files.read('export/skills.csv'))).toBe('a,b\n3,4\n');
    const uploads = sim.calls.filter((c) => c.path === '/api/2.0/files/content');
    expect(uploads.every((c) => c.status === 201)).toBe(true);
    expect(sim.calls.some((c) => c.method === 'PUT' && c.status === 200)).toBe(true);
    await files.remove('export/skills.csv');
    expect(await files.list('export')).toEqual([]);
    expect(await files.list('no/such/folder')).toEqual([]);
    await expect(files.read('export/missing.csv')).rejects.toMatchObject({ code: 'LMC_ERR_FILEDROP_PATH_NOT_FOUND' });
    await files.close();
  });

  it('uploads big files through a chunked upload session, from a stream', async () => {
    const src = new BoxSource({ ...settings(), chunkedFromBytes: 1000 });
    const big = Buffer.alloc(20 * 1024 * 1024 + 12345, 'abcdefghij');
    const before = sim.calls.length;
    await src.write('export/big.csv', Readable.from([big.subarray(0, 5_000_000), big.subarray(5_000_000)]));
    const used = sim.calls.slice(before).map((c) => `${c.method} ${c.path.replace(/upload_sessions\/\w+/, 'upload_sessions/:id')} ${c.status}`);
    expect(used).toContain('POST /api/2.0/files/upload_sessions 201');
    expect(used.filter((u) => u === 'PUT /api/2.0/files/upload_sessions/:id 200')).toHaveLength(3);
    expect(used).toContain('POST /api/2.0/files/upload_sessions/:id/commit 201');
    expect(used.some((u) => u.startsWith('POST /api/2.0/files/content'))).toBe(false);
    const stored = sim.store.byPath('export/big.csv', rootFolderId)!;
    expect(stored.content!.equals(big)).toBe(true);
    await src.remove('export/big.csv');
  });

  it('reads listed files without listing the folder again, and copes with a file replaced meanwhile', async () => {
    const src = new BoxSource(settings());
    await src.write('import/xapi/a.json', '[1]');
    await src.write('import/xapi/b.json', '[2]');
    const listed = await src.list('import/xapi');
    expect(listed.map((e) => e.name)).toEqual(['a.json', 'b.json']);
    expect(Math.abs(listed[0].modifiedAt.getTime() - Date.now())).toBeLessThan(60_000);
    const before = sim.calls.length;
    for (const e of listed) await text(await src.read(e.path));
    expect(sim.calls.slice(before).filter((c) => c.path.endsWith('/items'))).toEqual([]);
    // someone replaces b.json in Box (new id): the remembered id is gone, the read finds the new file
    const dir = sim.store.byPath('import/xapi', rootFolderId)!;
    sim.store.items.delete(sim.store.byPath('import/xapi/b.json', rootFolderId)!.id);
    sim.store.addFile(dir.id, 'b.json', Buffer.from('[3]'));
    expect(await text(await src.read('import/xapi/b.json'))).toBe('[3]');
    await src.remove('import/xapi/a.json');
    await src.remove('import/xapi/b.json');
    await src.remove('import/xapi/b.json'); // already gone: nothing to do
    expect(await src.list('import/xapi')).toEqual([]);
  });

  it('lists a folder of 2,500 files through marker paging', async () => {
    const dir = sim.store.byPath('import/user/internal', rootFolderId)!;
    for (let i = 0; i < 2500; i++) sim.store.addFile(dir.id, `u${String(i).padStart(4, '0')}.csv`, Buffer.from('x'));
    const before = sim.calls.length;
    const list = await new BoxSource({ ...settings(), rootFolderId }).list('import/user/internal');
    expect(list).toHaveLength(2500);
    expect(list[2499].name).toBe('u2499.csv');
    const pages = sim.calls.slice(before).filter((c) => c.path === `/2.0/folders/${dir.id}/items`);
    expect(pages).toHaveLength(3);
    for (const f of sim.store.children(dir.id)) sim.store.items.delete(f.id);
  });

  it('waits and retries on 429 with Retry-After, and on a 5xx', async () => {
    const src = new BoxSource({ ...settings(), retryBaseSeconds: 0.01 });
    await src.list('export'); // token + folder ids cached
    const before = sim.calls.length;
    sim.faults.push({ kind: '429', retryAfterSeconds: 1, count: 1, pathContains: '/items' });
    sim.faults.push({ kind: '500', count: 1, pathContains: '/items' });
    expect(await src.list('export')).toEqual([]);
    const seen = sim.calls.slice(before).map((c) => c.status);
    expect(seen).toEqual([429, 500, 200]);
  });

  it('waits a Retry-After given as an HTTP-date too (the kit retry policy)', async () => {
    const src = new BoxSource({ ...settings(), retryBaseSeconds: 0.01 });
    await src.list('export');
    const before = sim.calls.length;
    sim.faults.push({ kind: '429', retryAfterDateSeconds: 2, count: 1, pathContains: '/items' });
    await src.list('export');
    const [throttled, retried] = sim.calls.slice(before).filter((c) => c.path.endsWith('/items'));
    expect([throttled.status, retried.status]).toEqual([429, 200]);
    // The date names a whole second 2 s ahead, so at least 1 s; the backoff alone would wait about 20 ms.
    expect(retried.startedAt - throttled.endedAt).toBeGreaterThanOrEqual(900);
  });

  it('refreshes an expired token and carries on', async () => {
    const src = new BoxSource(settings());
    await src.write('export/a.csv', 'x\n');
    const tokens = sim.tokensIssued;
    sim.expireAllTokens();
    const before = sim.calls.length;
    expect((await src.list('export')).map((e) => e.name)).toEqual(['a.csv']);
    expect(sim.tokensIssued).toBe(tokens + 1);
    expect(sim.calls.slice(before).map((c) => c.status)).toEqual([401, 200, 200]);
  });

  it('gives up after repeated 5xx with a coded error naming the call', async () => {
    const src = new BoxSource({ ...settings(), retryBaseSeconds: 0.01, maxAttempts: 3 });
    sim.faults.push({ kind: '503', count: 5, pathContains: '/items' });
    await expect(src.list('export')).rejects.toMatchObject({ code: 'LMC_ERR_FILEDROP_BOX_API', message: expect.stringContaining('list export: 503') });
    sim.faults.length = 0;
  });
});
