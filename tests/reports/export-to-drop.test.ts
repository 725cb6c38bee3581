import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import unzipper from 'unzipper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalDirectorySource } from '../../src/kit/file-sources/local-directory.ts';
import { exportFileName } from '../../src/pipelines/export-reports/export-file-name.ts';
import { exportToDrop } from '../../src/pipelines/export-reports/export-to-drop.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { buildBulkAccount } from './bulk-account.ts';
import { buildGoldenAccount, RANGE } from './golden-account.ts';

let ctx: TestContext;
let dir: string;
let files: LocalDirectorySource;
let golden: number;
let bulk: { accountId: number; enrollments: number };
beforeAll(async () => {
  ctx = await createTestContext();
  golden = (await buildGoldenAccount(ctx)).accountId;
  bulk = await buildBulkAccount(ctx, { users: 600, perUser: 50 });
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-export-'));
  files = new LocalDirectorySource(dir);
});
afterAll(async () => {
  await ctx?.destroy();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('exports into a file drop', () => {
  it('names files with the window and writes the same bytes as the report', async () => {
    const fileName = exportFileName('skill_achievements', RANGE.from, RANGE.to);
    expect(fileName).toBe('skill_achievements_20260301T000000Z_to_20260401T000000Z.csv');
    const out = await exportToDrop(ctx, files, { report: 'user-skills', params: { accountId: golden, ...RANGE }, location: 'skills', fileName, zip: false });
    expect(out).toEqual({ path: `export/skills/${fileName}`, rows: 3 });
    expect(await fs.readFile(path.join(dir, out.path), 'utf8')).toBe(await fs.readFile(path.join(import.meta.dirname, 'golden', 'user-skills.csv'), 'utf8'));
  });

  it('zips the CSV on request', async () => {
    const fileName = exportFileName('learner_transcript', RANGE.from, RANGE.to);
    const out = await exportToDrop(ctx, files, { report: 'learner-transcript', params: { accountId: golden, ...RANGE, status: 'completed' }, location: 'transcripts/daily', fileName, zip: true });
    expect(out.path).toBe(`export/transcripts/daily/${fileName}.zip`);
    const zip = await unzipper.Open.file(path.join(dir, out.path));
    expect(zip.files.map((f) => f.path)).toEqual([fileName]);
    const csv = (await zip.files[0].buffer()).toString('utf8');
    expect(csv).toBe(await fs.readFile(path.join(import.meta.dirname, 'golden', 'learner-transcript-completed.csv'), 'utf8'));
  });

  it('refuses a location outside export/', async () => {
    await expect(exportToDrop(ctx, files, { report: 'users', params: { accountId: golden }, location: '../import', fileName: 'x.csv', zip: false })).rejects.toThrow(/not allowed/);
  });

  it('a reader polling the export folder never sees a partial file', async () => {
    const target = path.join(dir, 'export', 'big');
    await fs.mkdir(target, { recursive: true });
    const seen: number[] = [];
    let sawTmp = false;
    let stop = false;
    const poll = (async () => {
      while (!stop) {
        for (const name of await fs.readdir(target)) {
          if (name.startsWith('.lmc-tmp-')) {
            sawTmp = true; // the writer's temporary name: not an export file
            continue;
          }
          seen.push((await fs.stat(path.join(target, name)).catch(() => ({ size: -1 }))).size);
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    const out = await exportToDrop(ctx, files, { report: 'learner-transcript', params: { accountId: bulk.accountId }, location: 'big', fileName: 'lt.csv', zip: false });
    stop = true;
    await poll;
    expect(out.rows).toBe(bulk.enrollments);
    const size = (await fs.stat(path.join(dir, out.path))).size;
    expect(size).toBeGreaterThan(1_000_000);
    // The poller watched while the file was being written, and whenever the final name was visible the file was complete.
    expect(sawTmp).toBe(true);
    expect(seen.every((s) => s === size)).toBe(true);
    const csv = await text(await files.read(out.path));
    expect(csv.split('\n').length).toBe(bulk.enrollments + 2); // header + rows + final newline
  });

  it('leaves nothing behind when the run is cancelled mid-export', async () => {
    const ac = new AbortController();
    const p = exportToDrop(ctx, files, { report: 'learner-transcript', params: { accountId: bulk.accountId }, location: 'cancelled', fileName: 'lt.csv', zip: true, signal: ac.signal });
    // Cancel as soon as the writer's temporary file exists, i.e. in the middle of the export.
    const watched = path.join(dir, 'export', 'cancelled');
    while (!(await fs.readdir(watched).catch(() => [] as string[])).some((n) => n.startsWith('.lmc-tmp-'))) await new Promise((r) => setImmediate(r));
    ac.abort();
    await expect(p).rejects.toThrow(/cancelled/);
    expect(await fs.readdir(path.join(dir, 'export', 'cancelled'))).toEqual([]);
    // The pool is healthy afterwards (the connection that was mid-COPY was not reused).
    const again = await exportToDrop(ctx, files, { report: 'users', params: { accountId: golden }, location: 'after', fileName: 'u.csv', zip: false });
    expect(again.rows).toBe(4);
  });
});
