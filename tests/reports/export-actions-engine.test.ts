import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import unzipper from 'unzipper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putActionOptions } from '../../src/engine/action-settings.ts';
import { createConnection, historyKeyOf } from '../../src/engine/connections.ts';
import { engineTimings } from '../../src/engine/engine-config.ts';
import { executeRun } from '../../src/engine/executor.ts';
import { createOnDemandRun, getRun, inTransaction, insertQueuedRun } from '../../src/engine/runs.ts';
import { listConnectionExports } from '../../src/pipelines/export-reports/exported-files.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { buildGoldenAccount } from './golden-account.ts';

// The export actions run by the real engine (executeRun, the worker's entry point) on a local-directory
// connection: windows of scheduled runs, a failed run in between, options, zip, the listing of exported files.

let ctx: TestContext;
let accountId: number;
let dir: string;
let connectionId: number;
const NAME = 'Exports drop';
const actor = () => ({ accountId, userId: 1 });
const timings = engineTimings({ LMC_RUN_LEASE_MS: '30000', LMC_RUN_HEARTBEAT_MS: '200' });
const golden = (name: string) => fs.readFile(path.join(import.meta.dirname, 'golden', `${name}.csv`), 'utf8');

beforeAll(async () => {
  ctx = await createTestContext();
  ({ accountId } = await buildGoldenAccount(ctx));
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-export-engine-'));
  connectionId = (await createConnection(ctx, actor(), { connectorId: 'local-directory', name: NAME, settings: { root: dir } })).id;
});
afterAll(async () => {
  await ctx?.destroy();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

/** A run as the scheduler makes it for the slot `until` (the engine fills the window when it claims the run). */
async function scheduledRun(actionId: string, slot: Date, since: Date | null, options: Record<string, unknown>) {
  const id = await inTransaction(ctx, (c) =>
    insertQueuedRun(ctx, c, {
      account_id: accountId, connection_id: connectionId, history_key: historyKeyOf('local-directory', NAME), connector_id: 'local-directory',
      action_id: actionId, type: 'export', trigger: 'schedule', started_by: null, slot_at: slot, window_since: since, window_until: slot,
      options, dry_run: false, disable_access: false, rerun_of: null,
    }),
  );
  await executeRun(ctx, id!, { workerId: 'test', timings });
  return getRun(ctx, accountId, id!);
}

const rowsOf = (csv: string) => csv.trimEnd().split('\n').slice(1);

describe('export actions through the engine', () => {
  it('scheduled skills exports continue from the last successful window, across a failed run', async () => {
    const T0 = new Date('2026-03-01T00:00:00Z');
    const T1 = new Date('2026-03-05T10:30:00Z');
    const T2 = new Date('2026-03-20T00:00:00Z');
    const T3 = new Date('2026-04-01T00:00:00Z');
    const opts = { location: 'skills' };
    const a = await scheduledRun('export-user-skills', T1, T0, opts);
    expect([a.status, a.window, a.counts.read, a.counts.created]).toEqual(['completed', { since: T0, until: T1 }, 1, 1]);

    // The export folder is blocked by a file of the same name: the next run fails and writes nothing.
    const skillsDir = path.join(dir, 'export', 'skills');
    await fs.rename(skillsDir, `${skillsDir}.aside`);
    await fs.writeFile(skillsDir, 'not a folder');
    const b = await scheduledRun('export-user-skills', T2, null, opts);
    expect(b.status).toBe('failed');
    await fs.rm(skillsDir);
    await fs.rename(`${skillsDir}.aside`, skillsDir);

    // The next run covers from the end of the last successful run (T1), not from the failed one's.
    const c = await scheduledRun('export-user-skills', T3, null, opts);
    expect([c.status, c.window, c.counts.read]).toEqual(['completed', { since: T1, until: T3 }, 2]);

    const names = (await fs.readdir(skillsDir)).sort();
    expect(names).toEqual(['skill_achievements_20260301T000000Z_to_20260305T103000Z.csv', 'skill_achievements_20260305T103000Z_to_20260401T000000Z.csv']);
    // Together the two files hold every achievement of [T0, T3) exactly once.
    const all = [...rowsOf(await fs.readFile(path.join(skillsDir, names[0]), 'utf8')), ...rowsOf(await fs.readFile(path.join(skillsDir, names[1]), 'utf8'))];
    expect(all.sort()).toEqual(rowsOf(await golden('user-skills')).sort());
  });

  it('on demand transcript export with saved options: status filter, zip, its own folder', async () => {
    await putActionOptions(ctx, accountId, connectionId, 'export-learner-transcripts', { location: 'lt/monthly', zip: true, status: 'completed' });
    const run = await createOnDemandRun(ctx, actor(), { connectionId, actionId: 'export-learner-transcripts', since: new Date('2026-03-01'), until: new Date('2026-04-01') });
    await executeRun(ctx, run.id, { workerId: 'test', timings });
    const done = await getRun(ctx, accountId, run.id);
    expect([done.status, done.counts.read]).toEqual(['completed', 2]);
    const file = path.join(dir, 'export', 'lt', 'monthly', 'learner_transcript_20260301T000000Z_to_20260401T000000Z.csv.zip');
    const zip = await unzipper.Open.file(file);
    expect((await zip.files[0].buffer()).toString('utf8')).toBe(await golden('learner-transcript-completed'));
  });

  it('refuses options that leave the export folder', async () => {
    await expect(putActionOptions(ctx, accountId, connectionId, 'export-user-skills', { location: '../import/user/internal' })).rejects.toThrow();
  });

  it('lists the exported files of the connection, newest first', async () => {
    const files = await listConnectionExports(ctx, accountId, connectionId);
    expect(files.map((f) => f.path).sort()).toEqual([
      'export/lt/monthly/learner_transcript_20260301T000000Z_to_20260401T000000Z.csv.zip',
      'export/skills/skill_achievements_20260301T000000Z_to_20260305T103000Z.csv',
      'export/skills/skill_achievements_20260305T103000Z_to_20260401T000000Z.csv',
    ]);
    expect(files[0].modifiedAt.getTime()).toBeGreaterThanOrEqual(files[2].modifiedAt.getTime());
  });
  it('two runs of one window (same second) write two files, zipped or not: the second never replaces the first', async () => {
    const since = new Date('2026-03-01');
    const until = new Date('2026-04-01');
    const twice = async (actionId: string, options: Record<string, unknown>) => {
      await putActionOptions(ctx, accountId, connectionId, actionId, options);
      const ids: number[] = [];
      for (let i = 0; i < 2; i++) {
        const run = await createOnDemandRun(ctx, actor(), { connectionId, actionId, since, until });
        await executeRun(ctx, run.id, { workerId: 'test', timings });
        expect((await getRun(ctx, accountId, run.id)).status).toBe('completed');
        ids.push(run.id);
      }
      return ids;
    };
    const [, s2] = await twice('export-user-skills', { location: 'twice/skills' });
    expect((await fs.readdir(path.join(dir, 'export', 'twice', 'skills'))).sort()).toEqual([
      'skill_achievements_20260301T000000Z_to_20260401T000000Z.csv',
      `skill_achievements_20260301T000000Z_to_20260401T000000Z_run${s2}.csv`,
    ]);
    const [, t2] = await twice('export-learner-transcripts', { location: 'twice/lt', zip: true, status: 'completed' });
    const zipped = `learner_transcript_20260301T000000Z_to_20260401T000000Z_run${t2}.csv`;
    expect((await fs.readdir(path.join(dir, 'export', 'twice', 'lt'))).sort()).toEqual(['learner_transcript_20260301T000000Z_to_20260401T000000Z.csv.zip', `${zipped}.zip`]);
    const zip = await unzipper.Open.file(path.join(dir, 'export', 'twice', 'lt', `${zipped}.zip`));
    expect(zip.files.map((f) => f.path)).toEqual([zipped]);
    expect((await zip.files[0].buffer()).toString('utf8')).toBe(await golden('learner-transcript-completed'));
  });
});
