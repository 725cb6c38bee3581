/**
 * miniOrange "Import Internal Users" through the real engine (API, worker, PostgreSQL) against the SCIM
 * simulator: the contract points of API-CONNECTOR.md (multi-page read, a 429 mid-run, a persistent 5xx
 * failing retryably, the incremental second run reading only changes, per-record rejects naming the
 * miniOrange id; the bearer token cannot be refreshed: a regenerated one fails the run at once), custom
 * attributes mapped to active fields, managers given by id, inactive users, filters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEngineEnv } from '../../engine/helpers.ts';
useTestEngineEnv();
import { createActiveField } from '../../../src/platform/fields/active-fields.ts';
import { startImportApi, type ImportApiStack } from '../../user-import/api-stack.ts';
import { usersOf } from '../../user-import/helpers.ts';
import { startMiniOrangeSimulator, type MiniOrangeSimulator } from '../../../simulators/miniorange/server.ts';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CUSTOM = 'urn:miniorange:params:scim:schemas:extension:CustomAttributes:2.0:User';
const MAPPING = {
  email: 'emails[primary].value',
  name: 'name.formatted',
  // miniOrange gives the manager as an id (enterprise manager.value), no e-mail: the id links them.
  manager: 'lmc:manager-by-id',
  userType: null,
  profile: { title: 'title', location: 'addresses[type eq "work"].locality' },
  fields: { Department: `${ENT}:department`, Badge: `${CUSTOM}:badgeNumber`, Unit: `${CUSTOM}:businessUnit` },
};

let stack: ImportApiStack;
let sim: MiniOrangeSimulator;
let connectionId: number;

type Run = Awaited<ReturnType<ImportApiStack['runImport']>>;
const runImport = (more: Record<string, unknown> = {}, id = connectionId) => stack.runImport(id, more);
const runView = async (r: Run) => (await stack.admin.get(`/api/v1/runs/${r.id}`)).data;
const errorsCsv = async (r: Run) => (await stack.admin.get(`/api/v1/runs/${r.id}/errors.csv`)).body as string;
const usersPages = () => sim.log.entries.filter((e) => e.path.endsWith('/Users'));

async function connect(s: MiniOrangeSimulator, name: string, token = s.token) {
  return stack.admin.post('/api/v1/connections', { connectorId: 'miniorange', name, settings: { scimBaseUrl: s.scimBaseUrl, auth: { token } } });
}
async function saveOptions(id: number, options: Record<string, unknown>) {
  const put = await stack.admin.put(`/api/v1/connections/${id}/actions/import-users/settings`, { options });
  expect(put.statusCode, put.body).toBe(200);
}

beforeAll(async () => {
  // 60 users in pages of 25: three pages per full read. No inactive users at first (tests make some).
  sim = await startMiniOrangeSimulator({ users: 60, maxResults: 25, inactiveEvery: 0 });
  stack = await startImportApi();
  await createActiveField(stack.ctx.db, stack.accountId, { name: 'Badge', kind: 'csv', groupable: false });
  await createActiveField(stack.ctx.db, stack.accountId, { name: 'Unit', kind: 'csv', groupable: true });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await sim?.close();
});

describe('miniOrange: Import Internal Users through the engine', () => {
  it('tests the SCIM Base URL and token before saving; a wrong token saves nothing and is never echoed', async () => {
    const bad = await connect(sim, 'miniOrange', 'wrong-token-123');
    expect(bad.statusCode).toBe(400);
    expect(bad.data.error.code).toBe('LMC_ERR_CONNECTION_TEST_FAILED');
    expect(bad.data.error.message).toMatch(/refused the bearer token/);
    expect(JSON.stringify(bad.data)).not.toContain('wrong-token-123');
    const plain = await stack.admin.post('/api/v1/connections', { connectorId: 'miniorange', name: 'x', settings: { scimBaseUrl: 'http://idp.example.com/scim', auth: { token: 't' } } });
    expect(plain.statusCode).toBe(400);
    expect(JSON.stringify(plain.data)).toMatch(/https/);
    const ok = await connect(sim, 'miniOrange');
    expect(ok.statusCode, ok.body).toBe(201);
    connectionId = ok.data.id;
    expect(ok.data.secrets).toEqual({ 'auth.token': true });
    // The saved connection's test (the Configure page's button) signs in with the stored token.
    const test = await stack.admin.post(`/api/v1/connections/${connectionId}/test`);
    expect(test.data).toEqual({ ok: true, message: 'connected to miniOrange; 60 users visible' });
    const connectors = (await stack.admin.get('/api/v1/connectors')).data.connectors;
    const mo = connectors.find((c: { id: string }) => c.id === 'miniorange');
    expect(mo.actions.map((a: { id: string }) => a.id)).toEqual(['import-users']);
  });

  it('reads every page through a 429; maps custom attributes; links managers by id; rejects name the miniOrange id', async () => {
    await saveOptions(connectionId, { mapping: MAPPING });
    const badEmail = sim.store.add({ emails: [{ value: 'not-an-address', type: 'work', primary: true }] }, sim.store.all()[0].id);
    const noUserName = sim.store.add({ userName: '' });
    sim.log.reset();
    sim.faults.push({ kind: '429', retryAfterSeconds: 1, pathContains: '/Users', after: 1 });
    const run = await runImport();
    const view = await runView(run);
    expect(run.status, view.error ?? '').toBe('completed_with_errors');
    expect(run.counts).toMatchObject({ created: 60, rejected: 2 });
    // 62 users in pages of 25: three pages, the second one twice (429, then its retry).
    const pagesRead = usersPages();
    expect(pagesRead.map((e) => e.status)).toEqual([200, 429, 200, 200]);
    expect(view.log.some((l: { message: string }) => /429; trying again in 1 s/.test(l.message))).toBe(true);
    // The spec's last step: a notification when the import completes (the Import Log lists the run).
    const notes = (await stack.admin.get('/api/v1/notifications')).data.notifications;
    expect(notes.find((n: { runId: number }) => n.runId === run.id)?.kind).toBe('run_completed_with_errors');
    const errors = await errorsCsv(run);
    expect(errors).toContain(badEmail.id);
    expect(errors).toContain(`${noUserName.id},userName`);

    const users = await usersOf(stack.ctx, stack.accountId);
    const root = sim.store.all()[0];
    const child = sim.store.all()[1];
    const mine = users.filter((u) => u.data_source_id === connectionId);
    expect(mine).toHaveLength(60);
    const c = mine.find((u) => u.email === child.emails[0].value)!;
    expect(c.manager).toBe(root.emails[0].value);
    expect(c.name).toBe(child.name.formatted);
    expect(c.fields).toMatchObject({ Department: child[ENT]!.department, Badge: child[CUSTOM]!.badgeNumber, Unit: child[CUSTOM]!.businessUnit });
    expect(c.profile).toMatchObject({ title: child.title, location: child.addresses![0].locality });
    sim.store.delete(badEmail.id);
    sim.store.delete(noUserName.id);
  });

  it('the next run reads only the users changed since (meta.lastModified); inactive users are suspended', async () => {
    const before = (await runView(await runImport())).incremental;
    expect(before.after.lastModified).toBeTruthy();
    await saveOptions(connectionId, { mapping: MAPPING, absentUsers: 'suspend', approvalThreshold: 1 });
    const [a, b, gone] = sim.store.all().slice(20, 23);
    sim.store.update(a.id, (u) => (u.title = 'Principal'));
    sim.store.update(b.id, (u) => (u[CUSTOM]!.badgeNumber = 'B-NEW'));
    sim.store.update(gone.id, (u) => (u.active = false));
    sim.log.reset();
    const run = await runImport();
    const view = await runView(run);
    expect(run.status, view.error ?? '').toBe('completed');
    expect(usersPages()).toHaveLength(1);
    expect(run.counts).toMatchObject({ updated: 2, suspended: 1, created: 0 });
    expect(view.incremental.before).toEqual(before.after);
    expect(Date.parse(view.incremental.after.lastModified)).toBeGreaterThan(Date.parse(before.after.lastModified));
    expect(view.log.some((l: { message: string }) => /reading the users changed since/.test(l.message))).toBe(true);
    const users = await usersOf(stack.ctx, stack.accountId);
    expect(users.find((u) => u.email === a.emails[0].value)?.profile).toMatchObject({ title: 'Principal' });
    expect(users.find((u) => u.email === b.emails[0].value)?.fields).toMatchObject({ Badge: 'B-NEW' });
    expect(users.find((u) => u.email === gone.emails[0].value)?.state).toBe('suspended');
  });

  it('a deleted user is noticed by the next full read (after the state is reset)', async () => {
    const victim = sim.store.all()[40];
    sim.store.delete(victim.id);
    const delta = await runImport();
    expect(delta.counts).toMatchObject({ suspended: 0 });
    const reset = await stack.admin.delete(`/api/v1/connections/${connectionId}/actions/import-users/state`);
    expect(reset.statusCode, reset.body).toBeLessThan(300);
    const full = await runImport();
    expect(full.counts).toMatchObject({ suspended: 1 });
    const users = await usersOf(stack.ctx, stack.accountId);
    expect(users.find((u) => u.email === victim.emails[0].value)?.state).toBe('suspended');
  });

  it('a vendor that keeps failing fails the run with a retryable code; the cursor stays', async () => {
    const before = (await stack.admin.get(`/api/v1/connections/${connectionId}/actions/import-users/state`)).data;
    sim.faults.push({ kind: '503', count: 50, pathContains: '/Users' });
    const run = await runImport();
    sim.faults.length = 0;
    const view = await runView(run);
    expect(run.status).toBe('failed');
    expect(view.errorCode).toBe('LMC_ERR_HTTP_SERVER');
    expect(view.incremental.after ?? null).toBeNull();
    expect((await stack.admin.get(`/api/v1/connections/${connectionId}/actions/import-users/state`)).data).toEqual(before);
  });

  it('a bearer token regenerated in the console fails the run at once (no refresh for a static token)', async () => {
    sim.faults.push({ kind: 'expire-token', pathContains: '/Users' });
    const run = await runImport();
    const view = await runView(run);
    expect(run.status).toBe('failed');
    expect(view.errorCode).toBe('LMC_ERR_HTTP_AUTH');
    expect(JSON.stringify(view)).not.toContain(sim.token);
    // The admin pastes the new token: the connection works again.
    const patch = await stack.admin.patch(`/api/v1/connections/${connectionId}`, { settings: { scimBaseUrl: sim.scimBaseUrl, auth: { token: sim.token } } });
    expect(patch.statusCode, patch.body).toBe(200);
    expect((await runImport()).status).toBe('completed');
  });

  it('filters by manager hierarchy and by a custom attribute; an endpoint that cannot filter is read in full', async () => {
    const other = await startMiniOrangeSimulator({ users: 30, maxResults: 10, domain: 'other.test', seed: 3, filtering: false, inactiveEvery: 0 });
    try {
      const c = await connect(other, 'miniOrange (other)');
      expect(c.statusCode, c.body).toBe(201);
      const id = c.data.id as number;
      const all = other.store.all();
      const mid = all[1]; // reports to the root; manages users 7..12 and their reports
      await saveOptions(id, { mapping: MAPPING, filters: { managers: [mid.emails[0].value], values: [{ column: `${CUSTOM}:businessUnit`, values: [mid[CUSTOM]!.businessUnit!] }] } });
      const run = await runImport({}, id);
      expect(run.status, (await runView(run)).error ?? '').toMatch(/^completed/);
      const imported = (await usersOf(stack.ctx, stack.accountId)).filter((u) => u.data_source_id === id);
      const under = new Set([mid.id]);
      for (const u of all) if (u[ENT]?.manager && under.has(u[ENT]!.manager!.value)) under.add(u.id);
      const expected = all.filter((u) => under.has(u.id) && u[CUSTOM]!.businessUnit === mid[CUSTOM]!.businessUnit).map((u) => u.emails[0].value).sort();
      expect(expected.length).toBeGreaterThan(0);
      expect(imported.map((u) => u.email).sort()).toEqual(expected);
      // The second run would filter on meta.lastModified: this endpoint refuses filters, so it reads everything.
      other.store.update(all[5].id, (u) => (u.title = 'Changed'));
      const next = await runView(await runImport({}, id));
      expect(next.status).toMatch(/^completed/);
      expect(next.log.some((l: { message: string }) => /does not filter on the last-modified time; reading every user/.test(l.message))).toBe(true);
    } finally {
      await other.close();
    }
  });
});
