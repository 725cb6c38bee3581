import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEngineEnv } from '../engine/helpers.ts';
useTestEngineEnv();
import type { apiClient } from '../helpers/api.ts';
import type { TestContext } from '../helpers/test-context.ts';
import { startImportApi, type ImportApiStack } from '../user-import/api-stack.ts';
import { usersOf } from '../user-import/helpers.ts';
import { canRunSshd, ensureTestUser, startSshd, TEST_USER, type RunningSshd } from './helpers/sshd.ts';

// "Import Internal Users" end to end through the Custom FTP connector: the engine runs the action, which
// reads the customer's own SFTP server (a real OpenSSH sshd on a loopback port, password login).
const PASSWORD = 'sftp-test-password-1';
const runnable = await canRunSshd();
const HEAD = 'Email,Name,Manager,Title,Dept\n';

let stack: ImportApiStack;
let ctx: TestContext;
let sshd: RunningSshd;
let admin: ReturnType<typeof apiClient>;
let accountId: number;
let connectionId: number;
let base: string;
const inbox = () => path.join(base, 'import/user/internal');
const csvFiles = async () => (await fs.readdir(inbox())).filter((f) => f.endsWith('.csv')).sort();

const runImport = (more: Record<string, unknown> = {}) => stack.runImport(connectionId, more);

describe.skipIf(!runnable)('Import Internal Users through Custom FTP (engine + real OpenSSH sshd)', () => {
  beforeAll(async () => {
    const home = ensureTestUser(PASSWORD);
    sshd = await startSshd();
    base = path.join(home, `import-drop-${process.pid}-${Date.now()}`);
    stack = await startImportApi();
    ({ ctx, admin, accountId } = stack);
  });
  afterAll(async () => {
    await stack?.stop();
    await sshd?.stop();
    if (base) await fs.rm(base, { recursive: true, force: true });
  });

  it('connects, maps from the files, dry-runs, runs, reports errors and deletes the processed files', async () => {
    const c = await admin.post('/api/v1/connections', {
      connectorId: 'custom-ftp',
      name: 'Acme SFTP',
      settings: { host: `sftp://127.0.0.1:${sshd.port}`, username: TEST_USER, password: PASSWORD, basePath: base },
    });
    expect(c.statusCode, c.body).toBe(201);
    connectionId = c.data.id;
    expect((await fs.stat(inbox())).isDirectory()).toBe(true);

    // The customer's HR system writes into its own server (here: the test user's folder on this machine).
    await fs.writeFile(path.join(inbox(), 'users.csv'), HEAD + 'ann@x.test,Ann,boss@x.test,Dev,R&D\nbad,Bad,,,\n');
    await fs.writeFile(path.join(inbox(), 'bosses.csv'), '\ufeff' + HEAD.replace('\n', '\r\n') + 'boss@x.test,"Boss, The",,CEO,Board\r\n');
    await fs.writeFile(path.join(inbox(), 'notes.txt'), 'not a csv');

    const cols = await admin.get(`/api/v1/connections/${connectionId}/user-import/columns`);
    expect(cols.statusCode, cols.body).toBe(200);
    expect(cols.data.columns).toEqual(['Email', 'Name', 'Manager', 'Title', 'Dept']);
    const put = await admin.put(`/api/v1/connections/${connectionId}/actions/import-users/settings`, {
      options: { mapping: { email: 'Email', name: 'Name', manager: 'Manager', userType: null, profile: { title: 'Title' }, fields: { Department: 'Dept' } } },
    });
    expect(put.statusCode, put.body).toBe(200);

    const dry = await runImport({ dryRun: true });
    expect(dry.status, dry.error ?? '').toBe('completed_with_errors');
    expect(dry.counts).toMatchObject({ read: 3, created: 2, rejected: 1 });
    const cs = await admin.get(`/api/v1/runs/${dry.id}/files/change-set.csv`);
    expect(cs.body).toContain('create,boss@x.test,name,,"Boss, The"\n');
    expect((await usersOf(ctx, accountId)).map((u) => u.email)).toEqual(['admin@acme.test']);
    expect(await csvFiles()).toEqual(['bosses.csv', 'users.csv']);

    const real = await runImport();
    expect(real.status, real.error ?? '').toBe('completed_with_errors');
    expect(real.counts).toMatchObject({ read: 3, created: 2, rejected: 1 });
    const errors = await admin.get(`/api/v1/runs/${real.id}/errors.csv`);
    expect(errors.body).toBe('source,line,record_id,field,reason\nusers.csv,3,bad,email,"invalid email address ""bad"""\n');
    expect((await usersOf(ctx, accountId)).map((u) => [u.email, u.manager, u.data_source_id])).toEqual([
      ['admin@acme.test', null, null], ['ann@x.test', 'boss@x.test', connectionId], ['boss@x.test', null, connectionId],
    ]);
    expect(await csvFiles()).toEqual([]);
    expect(await fs.readdir(inbox())).toEqual(['notes.txt']);
  });

  it('a run that fails keeps the files on the server', async () => {
    await fs.writeFile(path.join(inbox(), 'a.csv'), HEAD + 'new1@x.test,New,,,\n');
    await fs.writeFile(path.join(inbox(), 'b.csv'), 'Email,Name,Title\nnew2@x.test,New 2,\n');
    const run = await runImport();
    expect(run.status).toBe('failed');
    expect(run.error).toContain('b.csv lacks "Manager", "Dept"');
    expect(await csvFiles()).toEqual(['a.csv', 'b.csv']);
  });
});
