import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEngineEnv, waitForStatus } from '../engine/helpers.ts';
useTestEngineEnv();
import { wrapCell } from '../../src/cli/cli-context.ts';
import { putActionOptions } from '../../src/engine/action-settings.ts';
import { createConnection } from '../../src/engine/connections.ts';
import { engineTimings } from '../../src/engine/engine-config.ts';
import { createOnDemandRun, errorReportCsv, getRunDetail } from '../../src/engine/runs.ts';
import { startWorker, type WorkerHandle } from '../../src/engine/worker.ts';
import { createAccountWithToken } from '../helpers/api.ts';
import { runLmc } from '../helpers/cli.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';

// Issue 18.9 and 19.9: small faults seen by operators.
let ctx: TestContext;
let worker: WorkerHandle;
let actor: { accountId: number; userId: number };

beforeAll(async () => {
  ctx = await createTestContext({ LMC_SECRET_KEY: crypto.randomBytes(32).toString('base64') });
  const a = await createAccountWithToken(ctx);
  actor = { accountId: a.account.id, userId: a.user.id };
  worker = await startWorker(ctx, { timings: engineTimings() });
});
afterAll(async () => {
  await worker?.stop();
  await ctx?.destroy();
});

const text = async (r: NodeJS.ReadableStream) => {
  let s = '';
  for await (const c of r) s += String(c);
  return s;
};

describe('small faults (issues 18.9, 19.9)', () => {
  it('Inventory lists the exports in the subfolders of export/ (user-skills, learner-transcripts)', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-inventory-'));
    const files = ['export/user-skills/user_skills_20261201.csv', 'export/learner-transcripts/learner_transcript_20261201.csv', 'export/users.csv', 'import/xapi/activity.csv', 'import/user/internal/users.csv'];
    for (const f of files) {
      await fs.mkdir(path.dirname(path.join(root, f)), { recursive: true });
      await fs.writeFile(path.join(root, f), 'a,b\n1,2\n');
    }
    const c = await createConnection(ctx, actor, { connectorId: 'local-directory', name: 'inventory', settings: { root } });
    const run = await createOnDemandRun(ctx, actor, { connectionId: c.id, actionId: 'list-files' });
    const done = await waitForStatus(ctx, actor.accountId, run.id, ['completed', 'completed_with_errors', 'failed']);
    expect(done.status).toBe('completed');
    expect(done.counts.read).toBe(files.length);
    const logged = (await getRunDetail(ctx, actor.accountId, run.id)).log.map((l) => l.message);
    for (const f of files) expect(logged).toContain(f);
    expect(logged).toContain('export/user-skills: 1 file(s)');
  });

  it('the error report is in file and line order, across pages, whatever order the run recorded it in', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-order-'));
    const c = await createConnection(ctx, actor, { connectorId: 'engine-test', name: 'order', settings: { dir, apiKey: 'k' } });
    const n = 11_000; // more than two pages of 5,000
    await putActionOptions(ctx, actor.accountId, c.id, 'rejects-late', { n });
    const run = await createOnDemandRun(ctx, actor, { connectionId: c.id, actionId: 'rejects-late' });
    await waitForStatus(ctx, actor.accountId, run.id, ['completed_with_errors']);
    const rows = (await text(await errorReportCsv(ctx, actor.accountId, run.id))).trim().split('\n');
    expect(rows[0]).toBe('source,line,record_id,field,reason');
    expect(rows[1]).toBe('a.csv,,,,the file as a whole');
    expect(rows[2]).toBe('a.csv,2,r2,,backwards');
    expect(rows[3]).toBe('a.csv,3,r3,,backwards');
    expect(rows[n + 1]).toBe(`a.csv,${n + 1},r${n + 1},,backwards`);
    expect(rows[n + 2]).toBe('b.csv,9,,,late');
    expect(rows).toHaveLength(n + 3);
    const lines = rows.slice(2, n + 1).map((r) => Number(r.split(',')[1]));
    expect(lines.every((l, i) => i === 0 || l > lines[i - 1])).toBe(true);
  }, 120_000);

  it('`lmc connectors list` shows every action: long cells wrap in their column, and a cut value ends in … with a hint', async () => {
    const r = await runLmc(ctx, ['connectors', 'list']);
    expect(r.code).toBe(0);
    const json = JSON.parse((await runLmc(ctx, ['--json', 'connectors', 'list'])).out) as Array<{ id: string; actions: Array<{ id: string }> }>;
    const table = r.out.replace(/\s+/g, ' ');
    for (const c of json) {
      expect(c.actions.length).toBeGreaterThan(3);
      for (const a of c.actions) expect(table).toContain(a.id);
    }
    expect(r.out).not.toContain('…');
    // A value too long even for four lines is cut visibly.
    const long = wrapCell('word '.repeat(100).trim(), 20);
    expect(long.cut).toBe(true);
    expect(long.lines).toHaveLength(4);
    expect(long.lines[3].endsWith('…')).toBe(true);
    expect(wrapCell('list-files, import-users, export-users', 20)).toEqual({ lines: ['list-files,', 'import-users,', 'export-users'], cut: false });
  }, 180_000);
});
