import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEngineEnv, waitForStatus } from '../engine/helpers.ts';
useTestEngineEnv();
import type { apiClient } from '../helpers/api.ts';
import type { TestContext } from '../helpers/test-context.ts';
import { startImportApi, type ImportApiStack } from './api-stack.ts';
import { usersOf } from './helpers.ts';

let stack: ImportApiStack;
let ctx: TestContext;
let dir: string;
let admin: ReturnType<typeof apiClient>;
let accountId: number;
let connectionId: number;
const inbox = () => path.join(dir, 'import/user/internal');
const HEAD = 'Email,Name,Manager,Title,Dept\n';

beforeAll(async () => {
  stack = await startImportApi();
  ({ ctx, admin, accountId } = stack);
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-user-import-'));
  const c = await admin.post('/api/v1/connections', { connectorId: 'local-directory', name: 'HR drop', settings: { root: dir } });
  expect(c.statusCode, c.body).toBe(201);
  connectionId = c.data.id;
});
afterAll(async () => {
  await stack?.stop();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

const runImport = (more: Record<string, unknown> = {}) => stack.runImport(connectionId, more);

const csvFiles = async () => (await fs.readdir(inbox())).filter((f) => f.endsWith('.csv')).sort();

describe('Import Internal Users through the engine (local directory)', () => {
  it('is offered by the file-drop connectors and refuses to run before the mapping is saved', async () => {
    const connectors = (await admin.get('/api/v1/connectors')).data.connectors;
    const local = connectors.find((c: { id: string }) => c.id === 'local-directory');
    expect(local.actions.map((a: { id: string; displayName: string }) => [a.id, a.displayName])).toContainEqual(['import-users', 'Import Internal Users']);
    await fs.writeFile(path.join(inbox(), 'users.csv'), HEAD + 'a@x.test,A,,,\n');
    const run = await runImport();
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/mapping must be saved before the first import/);
    expect(await csvFiles()).toEqual(['users.csv']);
  });

  it('dry run: change set downloadable, nothing changed, files kept; run: applied, files deleted; errors in the report', async () => {
    const put = await admin.put(`/api/v1/connections/${connectionId}/actions/import-users/settings`, {
      options: { mapping: { email: 'Email', name: 'Name', manager: 'Manager', userType: null, profile: { title: 'Title' }, fields: { Department: 'Dept' } } },
    });
    expect(put.statusCode, put.body).toBe(200);
    await fs.writeFile(path.join(inbox(), 'users.csv'), HEAD + 'ann@x.test,Ann,boss@x.test,Dev,R&D\nbad,Bad,,,\n');
    await fs.writeFile(path.join(inbox(), 'bosses.csv'), '\ufeff' + HEAD.replace(/\n/, '\r\n') + 'boss@x.test,"Boss, The",,CEO,Board\r\n');
    await fs.writeFile(path.join(inbox(), 'notes.txt'), 'not a csv');

    const dry = await runImport({ dryRun: true });
    expect(dry.status, dry.error ?? '').toBe('completed_with_errors');
    expect(dry.counts).toMatchObject({ read: 3, created: 2, rejected: 1 });
    const cs = await admin.get(`/api/v1/runs/${dry.id}/files/change-set.csv`);
    expect(cs.statusCode).toBe(200);
    expect(cs.body).toContain('action,email,field,old_value,new_value\n');
    expect(cs.body).toContain('create,boss@x.test,name,,"Boss, The"\n');
    expect(cs.body).toContain('create,ann@x.test,manager,,boss@x.test\n');
    expect(cs.body).toContain('create,ann@x.test,fields.Department,,R&D\n');
    expect((await usersOf(ctx, accountId)).map((u) => u.email)).toEqual(['admin@acme.test']);
    expect(await csvFiles()).toEqual(['bosses.csv', 'users.csv']);

    const real = await runImport();
    expect(real.status, real.error ?? '').toBe('completed_with_errors');
    expect(real.counts).toMatchObject({ read: 3, created: 2, rejected: 1 });
    const errors = await admin.get(`/api/v1/runs/${real.id}/errors.csv`);
    expect(errors.body).toBe('source,line,record_id,field,reason\nusers.csv,3,bad,email,"invalid email address ""bad"""\n');
    const users = await usersOf(ctx, accountId);
    expect(users.map((u) => [u.email, u.manager, u.data_source_id])).toEqual([['admin@acme.test', null, null], ['ann@x.test', 'boss@x.test', connectionId], ['boss@x.test', null, connectionId]]);
    expect(await csvFiles()).toEqual([]);
    expect(await fs.readdir(inbox())).toEqual(['notes.txt']);
  });

  it('a file lacking a mapped column fails the run before anything changes; the files stay', async () => {
    await fs.writeFile(path.join(inbox(), 'a.csv'), HEAD + 'new1@x.test,New,,,\n');
    await fs.writeFile(path.join(inbox(), 'b.csv'), 'Email,Name,Title\nnew2@x.test,New 2,\n');
    const run = await runImport();
    expect(run.status).toBe('failed');
    expect(run.error).toContain('b.csv lacks "Manager", "Dept"');
    expect((await usersOf(ctx, accountId)).map((u) => u.email)).not.toContain('new1@x.test');
    expect(await csvFiles()).toEqual(['a.csv', 'b.csv']);
    await fs.rm(path.join(inbox(), 'a.csv'));
    await fs.rm(path.join(inbox(), 'b.csv'));
  });

  it('past the threshold the run waits for approval; approving applies it, rejecting it changes nothing', async () => {
    const settings = (await admin.get(`/api/v1/connections/${connectionId}/actions/import-users/settings`)).data.options;
    await admin.put(`/api/v1/connections/${connectionId}/actions/import-users/settings`, { options: { ...settings, absentUsers: 'suspend' } });
    await fs.writeFile(path.join(inbox(), 'users.csv'), HEAD + 'boss@x.test,"Boss, The",,CEO,Board\n');
    const waiting = await runImport();
    expect(waiting.status).toBe('needs_approval');
    expect(waiting.approval?.reason).toBe('this import would suspend 1 of the 2 users of this data source (more than 10%)');
    const refused = await admin.post(`/api/v1/runs/${waiting.id}/reject`);
    expect(refused.data.status).toBe('cancelled');
    expect((await usersOf(ctx, accountId)).every((u) => u.state === 'active')).toBe(true);
    expect(await csvFiles()).toEqual(['users.csv']);

    const again = await runImport();
    expect(again.status).toBe('needs_approval');
    // Whoever approves sees whom it touches: named in the summary, all of them in the change set.
    expect(again.approval?.summary.affected).toEqual(['ann@x.test']);
    const waitingFiles = (await admin.get(`/api/v1/runs/${again.id}`)).data.files.map((f: { name: string }) => f.name);
    expect(waitingFiles).toContain('change-set.csv');
    expect((await admin.get(`/api/v1/runs/${again.id}/files/change-set.csv`)).body).toContain('suspend,ann@x.test,state,active,suspended');
    const ok = await admin.post(`/api/v1/runs/${again.id}/approve`);
    expect(ok.statusCode, ok.body).toBe(202);
    const done = await waitForStatus(ctx, accountId, again.id, ['completed', 'completed_with_errors', 'failed']);
    expect(done.status, JSON.stringify((await admin.get(`/api/v1/runs/${again.id}`)).data)).toBe('completed');
    expect(done.counts).toMatchObject({ unchanged: 1, suspended: 1, deleted: 0 });
    // The run keeps the time it started (approval is a step of it, not a new run).
    expect(done.startedAt).toEqual(again.startedAt);
    expect((await admin.get(`/api/v1/runs/${again.id}`)).data.counts).toMatchObject({ suspended: 1, deleted: 0 });
    expect((await usersOf(ctx, accountId)).find((u) => u.email === 'ann@x.test')?.state).toBe('suspended');
    expect(await csvFiles()).toEqual([]);
  });
  it('a new active field: the admin is told how many mappings need it; imports go on without it; the last files\' columns are offered', async () => {
    const field = await admin.post('/api/v1/active-fields', { name: 'Cost centre', kind: 'csv' });
    expect(field.statusCode, field.body).toBe(201);
    expect(field.data.mappingsToUpdate).toBe(1);
    await fs.writeFile(path.join(inbox(), 'users.csv'), 'Email,Name,Manager,Title,Dept,CC\nboss@x.test,"Boss, The",,CEO,Board,C1\n');
    const run = await runImport();
    expect(run.status, run.error ?? '').toBe('completed');
    expect(await csvFiles()).toEqual([]);
    // The files are gone; the mapping page still offers their columns, so the new field can be mapped.
    const page = (await admin.get(`/api/v1/connections/${connectionId}/user-import/mapping`)).data;
    expect(page.csvColumns).toEqual(expect.arrayContaining(['Email', 'Dept', 'CC']));
    expect(page.problems).toEqual(['fields.Cost centre: every active field must be mapped']);
  });
});
