import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEngineEnv } from '../engine/helpers.ts';
useTestEngineEnv();
import { startImportApi, type ImportApiStack } from './api-stack.ts';
import { MAPPING, usersOf } from './helpers.ts';

// Issue 19, point 3, through a real run of "Import Internal Users": a dropped CSV whose header names Email twice
// fails the run with file, line and column in the run's error (LMC_ERR_CSV_DUPLICATE_HEADER), and no user is
// created or changed.

let stack: ImportApiStack;
let dir: string;
let connectionId: number;
const inbox = () => path.join(dir, 'import/user/internal');
const HEAD = 'Email,Name,Manager,Title,Dept';

beforeAll(async () => {
  stack = await startImportApi();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-user-import-dup-'));
  const c = await stack.admin.post('/api/v1/connections', { connectorId: 'local-directory', name: 'HR drop', settings: { root: dir } });
  expect(c.statusCode, c.body).toBe(201);
  connectionId = c.data.id;
  const put = await stack.admin.put(`/api/v1/connections/${connectionId}/actions/import-users/settings`, { options: { mapping: MAPPING } });
  expect(put.statusCode, put.body).toBe(200);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

const snapshot = async () => (await usersOf(stack.ctx, stack.accountId)).map((u) => JSON.stringify(u)).sort();

describe('a dropped user file whose header names Email twice (issue 19, point 3)', () => {
  it('fails the run with file, line and column in the run\'s error; nothing is changed, the file is kept', async () => {
    await fs.writeFile(path.join(inbox(), 'users.csv'), `${HEAD}\nann@x.test,Ann,,Dev,R&D\n`);
    const first = await stack.runImport(connectionId);
    expect(first.status, first.error ?? '').toBe('completed');
    const before = await snapshot();
    expect(before.join()).toContain('ann@x.test');

    // The second Email column (6th) holds other addresses: which one is the learner cannot be guessed.
    await fs.writeFile(path.join(inbox(), 'users_dup.csv'), `${HEAD},Email\nann@x.test,Ann Renamed,,Lead,Sales,other@x.test\nnew@x.test,New,,Dev,R&D,new2@x.test\n`);
    const queued = await stack.runImport(connectionId);
    // A file-level error fails the whole user import before anything changes (as a missing mapped column does):
    // the run's error, as the API shows it, names the file, the line and the column.
    const run = (await stack.admin.get(`/api/v1/runs/${queued.id}`)).data;
    expect(run.status).toBe('failed');
    expect(run.errorCode).toBe('LMC_ERR_CSV_DUPLICATE_HEADER');
    expect(run.error).toBe('the header names a column twice: users_dup.csv line 1, column 6: "Email" repeats column 1 ("Email"); rename or remove one of them');
    expect(run.counts).toMatchObject({ read: 0, created: 0, updated: 0, suspended: 0, deleted: 0 });
    // The run's downloadable error report names the file, line and column too.
    const report = (await stack.admin.get(`/api/v1/runs/${queued.id}/errors.csv`)).body as string;
    expect(report).toContain('users_dup.csv');
    expect(report).toContain('column 6');
    expect(report).toContain('the header names a column twice');
    expect(await snapshot()).toEqual(before);
    // The file is kept for the admin to fix.
    expect(await fs.readdir(inbox())).toContain('users_dup.csv');
  }, 120_000);
});
