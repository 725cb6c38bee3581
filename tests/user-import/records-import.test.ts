import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEngineEnv } from '../engine/helpers.ts';
useTestEngineEnv();
process.env.LMC_EXTRA_CONNECTOR_DIRS = `${process.env.LMC_EXTRA_CONNECTOR_DIRS}:${path.join(path.dirname(fileURLToPath(import.meta.url)), '../kit/fixtures')}`;
import type { apiClient } from '../helpers/api.ts';
import type { TestContext } from '../helpers/test-context.ts';
import { startImportApi, type ImportApiStack } from './api-stack.ts';
import { usersOf } from './helpers.ts';

// The shared user import fed with a vendor's records (the `users` capability) instead of CSV files, through
// the engine: fields offered by the source, rejects named by the vendor's record id, managers given by id
// (resolved in the run and from earlier runs), a delta read touching only what it reports, removals.
let stack: ImportApiStack;
let ctx: TestContext;
let admin: ReturnType<typeof apiClient>;
let accountId: number;
let connectionId: number;
let dir: string;
let file: string;

type Item = { id: string; values?: Record<string, string | null>; managerId?: string; removed?: true };
const user = (id: string, mail: string, name: string, extra: Record<string, string | null> = {}, managerId?: string): Item => ({
  id,
  values: { mail, displayName: name, managerMail: null, department: 'Sales', jobTitle: 'Analyst', ...extra },
  ...(managerId ? { managerId } : {}),
});
const source = (complete: boolean, items: Item[]) => fs.writeFile(file, JSON.stringify({ complete, items }));

beforeAll(async () => {
  stack = await startImportApi();
  ({ ctx, admin, accountId } = stack);
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-records-'));
  file = path.join(dir, 'directory.json');
  await source(true, []);
  const c = await admin.post('/api/v1/connections', { connectorId: 'users-test', name: 'Directory', settings: { file } });
  expect(c.statusCode, c.body).toBe(201);
  connectionId = c.data.id;
});
afterAll(async () => {
  await stack?.stop();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

const errorsOf = async (runId: number) => (await admin.get(`/api/v1/runs/${runId}/errors.csv`)).body as string;

describe('Import Internal Users from a vendor (records, not files)', () => {
  it('is attached by the users capability and maps the fields the source declares', async () => {
    const connectors = (await admin.get('/api/v1/connectors')).data.connectors;
    const c = connectors.find((x: { id: string }) => x.id === 'users-test');
    expect(c.actions.map((a: { id: string }) => a.id)).toEqual(['count-users-report', 'import-users']);
    expect(c.actions[1].incremental).toBe(true);
    const page = (await admin.get(`/api/v1/connections/${connectionId}/user-import/mapping`)).data;
    expect(page.csvColumns).toEqual(['mail', 'displayName', 'managerMail', 'department', 'jobTitle']);
    expect(page.sourceFields[0]).toEqual({ name: 'mail', label: 'E-mail', type: 'email' });
    const saved = await admin.put(`/api/v1/connections/${connectionId}/user-import/mapping`, {
      mapping: { email: 'mail', name: 'displayName', manager: 'managerMail', userType: null, profile: { title: 'jobTitle' }, fields: { Department: 'department' } },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await admin.put(`/api/v1/connections/${connectionId}/user-import/settings`, { absentUsers: 'suspend', approvalThreshold: 1 })).statusCode).toBe(200);
  });

  it('a full read: users created, managers by e-mail and by id (even when the manager comes later), rejects by record id', async () => {
    await source(true, [
      user('id-boss', 'boss@acme.test', 'Big Boss'),
      user('id-ann', 'ann@acme.test', 'Ann', { managerMail: 'boss@acme.test' }),
      // Bob's manager is given by id only, and her record comes after his.
      user('id-bob', 'bob@acme.test', 'Bob', {}, 'id-cat'),
      user('id-cat', 'cat@acme.test', 'Cat', {}, 'id-boss'),
      user('id-bad', 'not-an-address', 'Bad'),
      user('id-dup1', 'dup@acme.test', 'Dup One'),
      user('id-dup2', 'DUP@acme.test', 'Dup Two'),
      // All mapped values empty: a reject, not a blank line dropped in silence.
      { id: 'id-empty', values: {} },
    ]);
    const dry = await stack.runImport(connectionId, { dryRun: true });
    expect(dry.status).toBe('completed_with_errors');
    expect(dry.counts).toMatchObject({ read: 8, created: 4, rejected: 4 });
    expect((await usersOf(ctx, accountId)).filter((u) => u.email.endsWith('@acme.test') && u.email !== 'admin@acme.test')).toEqual([]);
    const cs = (await admin.get(`/api/v1/runs/${dry.id}/files/change-set.csv`)).body as string;
    expect(cs).toContain('bob@acme.test');

    const run = await stack.runImport(connectionId);
    expect(run.status).toBe('completed_with_errors');
    expect(run.counts).toMatchObject({ read: 8, created: 4, rejected: 4 });
    const users = Object.fromEntries((await usersOf(ctx, accountId)).map((u) => [u.email, u]));
    expect(users['ann@acme.test'].manager).toBe('boss@acme.test');
    expect(users['bob@acme.test'].manager).toBe('cat@acme.test');
    expect(users['cat@acme.test'].manager).toBe('boss@acme.test');
    expect(users['boss@acme.test'].manager).toBeNull();
    expect(users['ann@acme.test'].profile).toMatchObject({ title: 'Analyst' });
    const errors = await errorsOf(run.id);
    expect(errors).toMatch(/Test directory,,id-bad,email,/);
    expect(errors).toContain('record id-dup1, record id-dup2');
    expect(errors).toMatch(/Test directory,,id-empty,/);
    expect(errors).not.toContain('lmc:record-id');
  });

  it('a delta read changes what it reports only: updates, a new user whose manager is known from the last run, a removal', async () => {
    await source(false, [
      user('id-ann', 'ann@acme.test', 'Ann', { managerMail: 'boss@acme.test', jobTitle: 'Lead' }),
      user('id-dan', 'dan@acme.test', 'Dan', {}, 'id-cat'),
      { id: 'id-bob', removed: true },
      // Removed at the vendor but never imported here: nothing to do.
      { id: 'id-unknown', removed: true },
    ]);
    const run = await stack.runImport(connectionId);
    expect(run.status).toBe('completed');
    expect(run.counts).toMatchObject({ read: 2, created: 1, updated: 1, suspended: 1 });
    const users = Object.fromEntries((await usersOf(ctx, accountId)).map((u) => [u.email, u]));
    expect(users['dan@acme.test'].manager).toBe('cat@acme.test');
    expect(users['ann@acme.test'].profile).toMatchObject({ title: 'Lead' });
    expect(users['bob@acme.test'].state).toBe('suspended');
    // Absent from this delta read, but not reported removed: untouched.
    expect(users['cat@acme.test'].state).toBe('active');
    expect(users['boss@acme.test'].state).toBe('active');
  });

  it('a delta read of a few users brings the automatic groups in step with what it changed (not a pass over the account)', async () => {
    const groups = async () =>
      (await ctx.db.selectFrom('user_groups').select(['kind', 'name']).where('account_id', '=', accountId).orderBy('name').execute()).map((g) => `${g.kind}: ${g.name}`);
    expect(await groups()).toContain('field: Department: Sales');
    // Dan moves to a department nobody held, and now reports to Ann, who managed no one: both groups appear.
    await source(false, [user('id-dan', 'dan@acme.test', 'Dan', { department: 'Support', managerMail: 'ann@acme.test' })]);
    const run = await stack.runImport(connectionId);
    expect(run.status).toBe('completed');
    expect(run.counts).toMatchObject({ read: 1, updated: 1 });
    const after = await groups();
    expect(after).toContain('field: Department: Support');
    expect(after).toContain('team: Team of Ann');
    expect(after).toContain('field: Department: Sales');
  });

  it('a full read again suspends the users absent from it', async () => {
    await source(true, [
      user('id-boss', 'boss@acme.test', 'Big Boss'),
      user('id-ann', 'ann@acme.test', 'Ann', { managerMail: 'boss@acme.test', jobTitle: 'Lead' }),
      user('id-dan', 'dan@acme.test', 'Dan', { managerMail: 'boss@acme.test' }),
    ]);
    const run = await stack.runImport(connectionId);
    expect(run.status).toBe('completed');
    expect(run.counts).toMatchObject({ read: 3, suspended: 1 });
    const users = Object.fromEntries((await usersOf(ctx, accountId)).map((u) => [u.email, u]));
    expect(users['cat@acme.test'].state).toBe('suspended');
    expect(users['dan@acme.test'].manager).toBe('boss@acme.test');
  });

  it("a connector's own export reads the platform's reports through rc.platform, in batches", async () => {
    const r = await admin.post('/api/v1/runs', { connectionId, actionId: 'count-users-report' });
    expect(r.statusCode, r.body).toBe(202);
    const { waitForStatus } = await import('../engine/helpers.ts');
    const done = await waitForStatus(ctx, accountId, r.data.id, ['completed', 'completed_with_errors', 'failed']);
    expect(done.status, done.error ?? '').toBe('completed');
    const n = (await usersOf(ctx, accountId)).length;
    expect(done.counts.read).toBe(n);
    const run = (await admin.get(`/api/v1/runs/${done.id}`)).data;
    expect(run.log.some((l: { message: string }) => l.message === `batches: ${Math.ceil(n / 2)}`)).toBe(true);
  });
});
