import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEngineEnv } from '../engine/helpers.ts';
useTestEngineEnv();
import type { apiClient } from '../helpers/api.ts';
import type { TestContext } from '../helpers/test-context.ts';
import { startImportApi, type ImportApiStack } from '../user-import/api-stack.ts';
import { DEFAULT_BOX_APP, startBoxSimulator, type BoxSimulator } from '../../simulators/box/server.ts';
import { usersOf } from '../user-import/helpers.ts';

// "Import Internal Users" end to end through the Box connector: the engine runs the action, the connector
// reads import/user/internal of a Box folder through the official SDK pointed at the Box simulator, with a
// 429 + Retry-After and an expired token injected during the run.
let stack: ImportApiStack;
let ctx: TestContext;
let sim: BoxSimulator;
let admin: ReturnType<typeof apiClient>;
let accountId: number;
let connectionId: number;
let rootFolderId: string;

const HEAD = 'Email,Name,Manager,Title,Dept\n';

beforeAll(async () => {
  sim = await startBoxSimulator();
  rootFolderId = sim.store.addFolder('0', 'Learning Manager').id;
  stack = await startImportApi();
  ({ ctx, admin, accountId } = stack);
});
afterAll(async () => {
  await stack?.stop();
  await sim?.close();
});

const inboxId = () => sim.store.byPath('import/user/internal', rootFolderId)!.id;
const boxCsvFiles = () => sim.store.children(inboxId()).map((i) => i.name).filter((n) => n.endsWith('.csv')).sort();

const runImport = (more: Record<string, unknown> = {}) => stack.runImport(connectionId, more);

describe('Import Internal Users through the Box connector (engine + Box SDK + simulator)', () => {
  it('connects: the folder layout is created in the Box folder', async () => {
    const c = await admin.post('/api/v1/connections', {
      connectorId: 'box',
      name: 'HR Box',
      settings: { clientId: DEFAULT_BOX_APP.clientId, clientSecret: DEFAULT_BOX_APP.clientSecret, enterpriseId: DEFAULT_BOX_APP.enterpriseId, rootFolderId, apiBaseUrl: sim.url },
    });
    expect(c.statusCode, c.body).toBe(201);
    connectionId = c.data.id;
    for (const p of ['import/user/internal', 'import/xapi', 'export']) expect(sim.store.byPath(p, rootFolderId)?.type).toBe('folder');
    const cols = await admin.get(`/api/v1/connections/${connectionId}/user-import/columns`);
    expect(cols.data).toEqual({ files: [], columns: [] });
  });

  it('maps from the files in Box, dry-runs (change set), runs through a 429 and an expired token, deletes the files', async () => {
    // An HR system drops two files into the Box folder (CRLF + BOM in one of them).
    sim.store.addFile(inboxId(), 'users.csv', Buffer.from(HEAD + 'ann@x.test,Ann,boss@x.test,Dev,R&D\nbad,Bad,,,\ncat@x.test,Cat,ghost@x.test,Ops,Ops\n'));
    sim.store.addFile(inboxId(), 'bosses.csv', Buffer.from('\ufeff' + HEAD.replace('\n', '\r\n') + 'boss@x.test,"Boss, The",,CEO,Board\r\n'));
    sim.store.addFile(inboxId(), 'readme.txt', Buffer.from('not a csv'));

    const cols = await admin.get(`/api/v1/connections/${connectionId}/user-import/columns`);
    expect(cols.statusCode, cols.body).toBe(200);
    expect(cols.data.files.map((f: { name: string }) => f.name).sort()).toEqual(['bosses.csv', 'users.csv']);
    expect(cols.data.columns).toEqual(['Email', 'Name', 'Manager', 'Title', 'Dept']);

    const put = await admin.put(`/api/v1/connections/${connectionId}/actions/import-users/settings`, {
      options: { mapping: { email: 'Email', name: 'Name', manager: 'Manager', userType: null, profile: { title: 'Title' }, fields: { Department: 'Dept' } } },
    });
    expect(put.statusCode, put.body).toBe(200);

    const dry = await runImport({ dryRun: true });
    expect(dry.status, dry.error ?? '').toBe('completed_with_errors');
    expect(dry.counts).toMatchObject({ read: 4, created: 2, rejected: 2 });
    const cs = await admin.get(`/api/v1/runs/${dry.id}/files/change-set.csv`);
    expect(cs.statusCode).toBe(200);
    expect(cs.body).toContain('action,email,field,old_value,new_value\n');
    expect(cs.body).toContain('create,boss@x.test,name,,"Boss, The"\n');
    expect(cs.body).toContain('create,ann@x.test,manager,,boss@x.test\n');
    expect((await usersOf(ctx, accountId)).map((u) => u.email)).toEqual(['admin@acme.test']);
    expect(boxCsvFiles()).toEqual(['bosses.csv', 'users.csv']);

    // During the real run: the token expires at the folder listing, and Box rate-limits the first download.
    const before = sim.calls.length;
    const tokensBefore = sim.tokensIssued;
    sim.faults.push({ kind: 'expire-token', count: 1, pathContains: '/items' });
    sim.faults.push({ kind: '429', retryAfterSeconds: 1, count: 1, pathContains: '/content' });
    const real = await runImport();
    expect(real.status, real.error ?? '').toBe('completed_with_errors');
    expect(real.counts).toMatchObject({ read: 4, created: 2, rejected: 2 });
    const seen = sim.calls.slice(before);
    expect(seen.some((c) => c.status === 401 && c.path.endsWith('/items'))).toBe(true);
    expect(seen.some((c) => c.status === 429 && c.path.endsWith('/content'))).toBe(true);
    expect(sim.tokensIssued).toBeGreaterThan(tokensBefore);
    expect(sim.faults).toEqual([]);

    const errors = await admin.get(`/api/v1/runs/${real.id}/errors.csv`);
    expect(errors.statusCode).toBe(200);
    expect(errors.body).toContain('source,line,record_id,field,reason\n');
    expect(errors.body).toContain('users.csv,3,bad,email,');
    expect(errors.body).toMatch(/users\.csv,4,cat@x\.test,manager,.*ghost@x\.test/);
    const users = await usersOf(ctx, accountId);
    expect(users.map((u) => [u.email, u.manager, u.data_source_id])).toEqual([
      ['admin@acme.test', null, null], ['ann@x.test', 'boss@x.test', connectionId], ['boss@x.test', null, connectionId],
    ]);
    // The processed CSVs are deleted from Box after the successful apply; other files stay.
    expect(boxCsvFiles()).toEqual([]);
    expect(sim.store.children(inboxId()).map((i) => i.name)).toEqual(['readme.txt']);
    expect(seen.filter((c) => c.method === 'DELETE' && c.status === 204)).toHaveLength(2);
  });

  it('a failed run leaves the files in Box', async () => {
    sim.store.addFile(inboxId(), 'a.csv', Buffer.from(HEAD + 'new1@x.test,New,,,\n'));
    sim.store.addFile(inboxId(), 'b.csv', Buffer.from('Email,Name,Title\nnew2@x.test,New 2,\n'));
    const run = await runImport();
    expect(run.status).toBe('failed');
    expect(run.error).toContain('b.csv lacks "Manager", "Dept"');
    expect(boxCsvFiles()).toEqual(['a.csv', 'b.csv']);
    expect((await usersOf(ctx, accountId)).map((u) => u.email)).not.toContain('new1@x.test');
  });
});
