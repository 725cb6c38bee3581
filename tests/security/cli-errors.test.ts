import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_ENV, useTestEngineEnv } from '../engine/helpers.ts';
useTestEngineEnv();
import { apiClient, buildApi, createAccountWithToken } from '../helpers/api.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import type { Api } from '../../src/api/types.ts';
import { engineTimings } from '../../src/engine/engine-config.ts';
import { startWorker, type WorkerHandle } from '../../src/engine/worker.ts';

let ctx: TestContext;
let app: Api;
let worker: WorkerHandle;
let token: string;
let dir: string;
let slug: string;
let conn: number;
const root = path.resolve(import.meta.dirname, '../..');

function lmc(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [path.join(root, 'bin/lmc.js'), ...args, '--account', slug], { cwd: root, env: { ...process.env, ...FAST_ENV, DATABASE_URL: ctx.dbUrl, LMC_LOG_LEVEL: 'silent'} }, (e, out, err) =>
      resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, out, err }),
    ),
  );
}

/** A failure as the CLI must print it: one line `error LMC_ERR_...: message`, no stack trace, exit 1 or 2. */
function expectCliError(r: { code: number; out: string; err: string }, code?: string | RegExp) {
  expect(r.code, r.out + r.err).toBeGreaterThan(0);
  expect(r.err).toMatch(/^error LMC_ERR_[A-Z0-9_]+: \S/m);
  if (code) expect(r.err).toMatch(typeof code === 'string' ? new RegExp(`^error ${code}: `, 'm') : code);
  expect(r.err).not.toMatch(/^\s+at /m);
  expect(r.err).not.toMatch(/node:internal|\.ts:\d+/);
}

beforeAll(async () => {
  ctx = await createTestContext({ LMC_LOG_LEVEL: 'silent' });
  app = await buildApi(ctx);
  worker = await startWorker(ctx, { timings: engineTimings() });
  const a = await createAccountWithToken(ctx);
  slug = a.account.slug;
  token = a.token;
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-cli-errors-'));
  conn = (await apiClient(app, token).post('/api/v1/connections', { connectorId: 'local-directory', name: 'Drop', settings: { root: dir } })).data.id;
});
afterAll(async () => {
  await worker?.stop();
  await app?.close();
  await ctx?.destroy();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('every CLI failure has a code, a message and a non-zero exit (issue 13, point 11)', () => {
  it('bad ids and negative limits', async () => {
    const [word, huge, neg, limit, zero, mapping] = await Promise.all([
      lmc('runs', 'show', 'abc'),
      lmc('runs', 'show', '99999999999999999999'),
      lmc('connections', 'show', '-3'),
      lmc('runs', 'list', '--limit', '-5'),
      lmc('users', 'list', '--limit', '0'),
      lmc('import', 'mapping', '12abc'),
    ]);
    // ids that are not numbers stay so: an xAPI import configuration's is a UUID (not found here, but not "not an id")
    const uuid = await lmc('xapi-import', 'show', String(conn), 'a1d24914-cd96-46f7-a591-91b8dbf796d4');
    expectCliError(uuid);
    expect(uuid.err).not.toContain('is not an id');
    expectCliError(word, 'LMC_ERR_COMMON_VALIDATION');
    expect(word.err).toContain('abc');
    expectCliError(huge, 'LMC_ERR_COMMON_VALIDATION');
    expectCliError(neg);
    expectCliError(limit, 'LMC_ERR_COMMON_VALIDATION');
    expect(limit.err).toContain('--limit');
    expectCliError(zero, 'LMC_ERR_COMMON_VALIDATION');
    expectCliError(mapping, 'LMC_ERR_COMMON_VALIDATION');
  }, 120_000);

  it('a missing drop root and a path escaping it', async () => {
    const gone = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-cli-gone-'));
    const c2 = (await apiClient(app, token).post('/api/v1/connections', { connectorId: 'local-directory', name: 'Gone', settings: { root: gone } })).data.id;
    await fs.rm(gone, { recursive: true, force: true });
    // a drop whose import folder is a link to a folder outside it
    const linked = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-cli-linked-'));
    const outside = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-cli-outside-'));
    await fs.mkdir(path.join(outside, 'user/internal'), { recursive: true });
    await fs.writeFile(path.join(outside, 'user/internal/hr.csv'), 'a,b\n1,2\n');
    await fs.symlink(outside, path.join(linked, 'import'));
    const c3 = (await apiClient(app, token).post('/api/v1/connections', { connectorId: 'local-directory', name: 'Linked', settings: { root: linked } })).data.id;
    try {
      const [missing, escape] = await Promise.all([lmc('import', 'columns', String(c2)), lmc('import', 'columns', String(c3))]);
      expectCliError(missing);
      expectCliError(escape);
      expect(escape.out).not.toContain('a, b');
    } finally {
      await fs.rm(linked, { recursive: true, force: true });
      await fs.rm(outside, { recursive: true, force: true });
    }
  }, 120_000);

  it('an unknown mapping key is refused, not "saved"', async () => {
    await fs.writeFile(path.join(dir, 'template.csv'), 'Mail,Full name,Boss\n');
    expect((await lmc('import', 'template', String(conn), path.join(dir, 'template.csv'))).code).toBe(0);
    const ok = await lmc('import', 'map', String(conn), '--set', 'email=Mail', '--set', 'name=Full name', '--set', 'manager=Boss');
    expect(ok.out, ok.err).toBe('mapping saved\n');
    const r = await lmc('import', 'map', String(conn), '--set', 'unknown=X');
    expectCliError(r, 'LMC_ERR_USER_IMPORT_MAPPING_INVALID');
    expect(r.err).toContain('unknown');
    expect(r.out).not.toContain('saved');
    const p = await lmc('import', 'map', String(conn), '--set', 'profile.shoeSize=X');
    expectCliError(p, 'LMC_ERR_USER_IMPORT_MAPPING_INVALID');
  }, 120_000);

  it('a failed run keeps its code; `import run --wait` exits non-zero with it; the API returns it', async () => {
    // the mapping saved by the test above
    await fs.mkdir(path.join(dir, 'import/user/internal'), { recursive: true });
    await fs.writeFile(path.join(dir, 'import/user/internal/hr.csv'), Buffer.concat([Buffer.from('Mail,Full name,Boss\nann@x.test,An'), Buffer.from([0xff, 0xfe]), Buffer.from('n,\n')]));
    const run = await lmc('import', 'run', String(conn), '--wait');
    expect(run.code, run.out + run.err).toBe(1);
    expect(run.out).toMatch(/^run \d+: failed/);
    expect(run.err).toMatch(/^error LMC_ERR_CSV_INVALID_UTF8: /m);
    const id = Number(run.out.match(/^run (\d+)/)![1]);
    const api = await apiClient(app, token).get(`/api/v1/runs/${id}`);
    expect(api.data.errorCode).toBe('LMC_ERR_CSV_INVALID_UTF8');
    expect(api.data.error).toMatch(/UTF-8/);
    const list = await lmc('runs', 'list', '--json');
    expect(JSON.parse(list.out).find((x: { id: number }) => x.id === id).errorCode).toBe('LMC_ERR_CSV_INVALID_UTF8');
    const generic = await lmc('run', String(conn), 'import-users', '--wait');
    expect(generic.code).toBe(1);
    expect(generic.err).toMatch(/^error LMC_ERR_CSV_INVALID_UTF8: /m);
  }, 180_000);
});
