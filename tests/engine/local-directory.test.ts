import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import localDirectory from '../../src/connectors/local-directory/manifest.ts';
import type { ConnectorEnv } from '../../src/kit/define-connector.ts';
import { FOLDERS } from '../../src/kit/file-sources/file-source.ts';
import { LocalDirectorySource } from '../../src/kit/file-sources/local-directory.ts';
import { connectorEnv } from '../../src/engine/connections.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';

let root: string;
let outside: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-localdir-'));
  outside = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-outside-'));
  await fs.writeFile(path.join(outside, 'secret.txt'), 'do not read');
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
  await fs.rm(outside, { recursive: true, force: true });
});

const text = async (r: Readable) => {
  let s = '';
  for await (const c of r) s += String(c);
  return s;
};

describe('LocalDirectorySource', () => {
  it('writes atomically, lists, reads and removes files relative to its root', async () => {
    const src = new LocalDirectorySource(root);
    await src.write('export/a.csv', 'x,y\n1,2\n');
    await src.write('export/b.csv', Readable.from(['streamed', '\n']));
    const list = await src.list('export');
    expect(list.map((e) => [e.name, e.path, e.size, e.isDirectory])).toEqual([['a.csv', 'export/a.csv', 8, false], ['b.csv', 'export/b.csv', 9, false]]);
    expect(await text(await src.read('export/a.csv'))).toBe('x,y\n1,2\n');
    expect(await src.list('does/not/exist')).toEqual([]);
    // No temporary file is left behind, nor listed while it exists.
    await fs.writeFile(path.join(root, 'export', '.lmc-tmp-abc-c.csv'), 'half');
    expect((await src.list('export')).map((e) => e.name)).toEqual(['a.csv', 'b.csv']);
    await src.remove('export/a.csv');
    expect((await src.list('export')).map((e) => e.name)).toEqual(['b.csv']);
  });

  it("refuses '..', absolute paths and symlinks leaving the root", async () => {
    const src = new LocalDirectorySource(root);
    await fs.mkdir(path.join(root, 'import'), { recursive: true });
    await fs.symlink(outside, path.join(root, 'import', 'escape'));
    await expect(src.read('../x')).rejects.toThrow(/'\.\.'/);
    await expect(src.read('export/../../x')).rejects.toThrow(/'\.\.'/);
    await expect(src.read('/etc/passwd')).rejects.toThrow(/absolute/);
    await expect(src.read('import/escape/secret.txt')).rejects.toMatchObject({ code: 'LMC_ERR_FILEDROP_PATH_OUTSIDE_ROOT', status: 400 });
    await expect(src.write('import/escape/new.txt', 'x')).rejects.toMatchObject({ code: 'LMC_ERR_FILEDROP_PATH_OUTSIDE_ROOT' });
    expect((await src.list('import')).map((e) => e.name)).not.toContain('escape');
    await expect(fs.stat(path.join(outside, 'new.txt'))).rejects.toThrow();
  });
});

describe('local-directory connector', () => {
  // The connector checks its folder against the operator's allowed folders (tests allow os.tmpdir()).
  let ctx: TestContext;
  let env: ConnectorEnv;
  beforeAll(async () => {
    ctx = await createTestContext();
    env = connectorEnv(ctx, 1, 1);
  });
  afterAll(async () => ctx?.destroy());

  it('creates the folder layout on connect and tests the folder for real', async () => {
    const dir = path.join(root, 'drop');
    await fs.mkdir(dir);
    await localDirectory.onConnect!({ root: dir }, env);
    for (const f of Object.values(FOLDERS)) expect((await fs.stat(path.join(dir, f))).isDirectory()).toBe(true);
    expect(await localDirectory.testConnection({ root: dir }, env)).toMatchObject({ ok: true });
    expect((await fs.readdir(dir)).sort()).toEqual(['export', 'import']); // the probe file is gone
    expect((await localDirectory.testConnection({ root: path.join(root, 'missing') }, env)).ok).toBe(false);
    expect(localDirectory.settings.safeParse({ root: 'relative/path' }).success).toBe(false);
  });
});
