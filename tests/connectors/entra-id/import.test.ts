/**
 * The Microsoft Entra ID connector through the real engine against the Graph simulator (the spec's ADFS
 * connector): connect (tested before saving), the mapping lists Graph's fields, filters, dry run with change
 * set, run, delta runs that read only the changes (removed users suspended), a lost delta token, rejects
 * naming the Graph object id, and the API connector contract (429, token expiry, persistent 503).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEngineEnv } from '../../engine/helpers.ts';
useTestEngineEnv();
import { DEFAULT_GRAPH_APP, startGraphSimulator, type GraphSimulator } from '../../../simulators/graph/server.ts';
import { actionState, apiContract, errorReport, runAction, vendorCalls } from '../../kit/api-contract.ts';
import { startImportApi, type ImportApiStack } from '../../user-import/api-stack.ts';
import { usersOf } from '../../user-import/helpers.ts';

const USERS = 1200; // two pages of 999
let sim: GraphSimulator;
let stack: ImportApiStack;
let connectionId: number;
const NO_PERMISSION = { tenantId: DEFAULT_GRAPH_APP.tenantId, clientId: '12121212-bbbb-4ccc-8ddd-eeeeeeeeeeee', clientSecret: 'sim~no~users', roles: ['Mail.Read'] };
const MAPPING = { email: 'mail', name: 'displayName', manager: 'manager.mail', userType: null, profile: { title: 'jobTitle' }, fields: { Department: 'department' } };

const settings = (app: { clientId: string; clientSecret: string } = DEFAULT_GRAPH_APP) => ({
  tenantId: DEFAULT_GRAPH_APP.tenantId,
  auth: { clientId: app.clientId, clientSecret: app.clientSecret },
  graphBaseUrl: `${sim.url}/v1.0`,
  loginBaseUrl: sim.url,
});
const run = (more: Record<string, unknown> = {}) => runAction(stack, connectionId, 'import-users', more);
const options = async () => (await stack.admin.get(`/api/v1/connections/${connectionId}/actions/import-users/settings`)).data.options;
const setOptions = async (o: Record<string, unknown>) => {
  const r = await stack.admin.put(`/api/v1/connections/${connectionId}/actions/import-users/settings`, { options: { ...(await options()), ...o } });
  expect(r.statusCode, r.body).toBe(200);
};
/** Graph requests since `from` (path without query). */
const graphCalls = (from: number) => sim.log.entries.slice(from).filter((e) => e.path.startsWith('/v1.0/')).map((e) => e.path);
const byEmail = async () => new Map((await usersOf(stack.ctx, stack.accountId)).map((u) => [u.email, u]));

beforeAll(async () => {
  sim = await startGraphSimulator({ users: USERS, seed: 11, apps: [DEFAULT_GRAPH_APP, NO_PERMISSION] });
  stack = await startImportApi();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await sim?.close();
});

describe('Microsoft Entra ID: connect', () => {
  it('is offered as a user source with Import Internal Users', async () => {
    const c = (await stack.admin.get('/api/v1/connectors')).data.connectors.find((x: { id: string }) => x.id === 'entra-id');
    expect(c).toMatchObject({ displayName: 'Microsoft Entra ID', category: 'identity', capabilities: { files: false, api: true, users: { label: 'Microsoft Entra ID' } } });
    expect(c.actions.map((a: { id: string }) => a.id)).toEqual(['import-users']);
    expect(c.actions[0]).toMatchObject({ incremental: true, supportsDryRun: true });
  });

  it('tests the settings before saving: a wrong secret or a missing permission saves nothing and says why', async () => {
    const wrong = await stack.admin.post('/api/v1/connections', { connectorId: 'entra-id', name: 'Contoso', settings: settings({ ...DEFAULT_GRAPH_APP, clientSecret: 'wrong-secret' }) });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.data.error.code).toBe('LMC_ERR_AUTH_INVALID_CLIENT');
    expect(wrong.body).not.toContain('wrong-secret');
    const denied = await stack.admin.post('/api/v1/connections', { connectorId: 'entra-id', name: 'Contoso', settings: settings(NO_PERMISSION) });
    expect(denied.statusCode).toBe(400);
    expect(denied.data.error.message).toMatch(/User\.Read\.All/);
    expect((await stack.admin.get('/api/v1/connections')).data.connections ?? []).toEqual([]);
  });

  it('saves a connection that signs in; the secret is stored, never returned', async () => {
    const ok = await stack.admin.post('/api/v1/connections', { connectorId: 'entra-id', name: 'Contoso', settings: settings() });
    expect(ok.statusCode, ok.body).toBe(201);
    connectionId = ok.data.id;
    expect(ok.data.secrets).toEqual({ 'auth.clientSecret': true });
    expect(ok.body).not.toContain(DEFAULT_GRAPH_APP.clientSecret);
    // Editing other settings without resending the secret keeps it (the form never holds it).
    const edit = await stack.admin.patch(`/api/v1/connections/${connectionId}`, { settings: { ...settings(), auth: { clientId: DEFAULT_GRAPH_APP.clientId } } });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.data.secrets).toEqual({ 'auth.clientSecret': true });
    const t = await stack.admin.post(`/api/v1/connections/${connectionId}/test`);
    expect(t.data, JSON.stringify(t.data)).toMatchObject({ ok: true, message: expect.stringContaining('Microsoft Graph lists its users') });
  });
});

describe('Microsoft Entra ID: map, filter, dry run, run', () => {
  it("the mapping lists Graph's user fields, extension attributes and the manager's email", async () => {
    const r = await stack.admin.get(`/api/v1/connections/${connectionId}/user-import/mapping`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.data.sourceFieldsError).toBeUndefined();
    const names = r.data.sourceFields.map((f: { name: string }) => f.name);
    expect(r.data.csvColumns).toEqual(names);
    expect(names).toEqual(expect.arrayContaining(['mail', 'displayName', 'department', 'jobTitle', 'userPrincipalName', 'onPremisesExtensionAttributes.extensionAttribute1', 'onPremisesExtensionAttributes.extensionAttribute15', 'manager.mail']));
    expect(r.data.sourceFields.find((f: { name: string }) => f.name === 'manager.mail')).toMatchObject({ type: 'email', label: "Manager's email (mail)" });
    const put = await stack.admin.put(`/api/v1/connections/${connectionId}/user-import/mapping`, { mapping: MAPPING });
    expect(put.statusCode, put.body).toBe(200);
  });

  it('dry run with filters (a manager hierarchy, a value list on department): change set, nothing changed', async () => {
    const all = sim.store.all();
    const boss = all[1];
    const under = new Set([boss.id]);
    for (const u of all) for (let m = sim.store.managerOf(u.id); m; m = sim.store.managerOf(m.id)) if (m.id === boss.id) under.add(u.id);
    const depts = ['Sales', 'Engineering'];
    await setOptions({ filters: { managers: [boss.mail], values: [{ column: 'department', values: depts }] } });
    const from = sim.log.entries.length;
    const dry = await run({ dryRun: true });
    expect(['completed', 'completed_with_errors'], `${dry.status} ${dry.error}`).toContain(dry.status);
    const cs = (await stack.admin.get(`/api/v1/runs/${dry.id}/files/change-set.csv`)).body;
    const created = [...new Set(cs.split('\n').filter((l) => l.startsWith('create,')).map((l) => l.split(',')[1]))];
    const allowed = new Set(all.filter((u) => under.has(u.id) && depts.includes(u.department!)).map((u) => u.mail));
    expect(created.length).toBeGreaterThan(0);
    expect(created.filter((e) => !allowed.has(e))).toEqual([]);
    expect(dry.counts.created).toBe(created.length);
    expect((await usersOf(stack.ctx, stack.accountId)).map((u) => u.email)).toEqual(['admin@acme.test']);
    // A dry run keeps no state: the next run is still a full read.
    expect(await actionState(stack, connectionId, 'import-users')).toBeNull();
    // Full read: "sync from now" first, then /users pages of 999 with the mapped fields and the manager.
    expect(graphCalls(from)).toEqual(['/v1.0/users/delta', '/v1.0/users', '/v1.0/users']);
  });

  it('runs: every user imported with its manager; a user Graph gives without a valid email is rejected under its object id', async () => {
    const bad = sim.store.add({ mail: 'not-an-address', displayName: 'No Mail' }, sim.store.all()[0].id);
    await setOptions({ filters: { managers: [], values: [] }, absentUsers: 'suspend', approvalThreshold: 1 });
    const r = await run();
    expect(r.status, r.error ?? '').toBe('completed_with_errors');
    expect(r.counts).toMatchObject({ read: USERS + 1, created: USERS, rejected: 1 });
    expect(await errorReport(stack, r.id)).toContain(bad.id);
    const users = await byEmail();
    const sample = sim.store.all()[40];
    expect(users.get(sample.mail)).toMatchObject({ name: sample.displayName, manager: sim.store.managerOf(sample.id)!.mail, data_source_id: connectionId });
    expect(users.get(sample.mail)).toMatchObject({ profile: { title: sample.jobTitle }, fields: { Department: sample.department } });
    expect(r.incremental?.after).toMatchObject({ deltaLink: expect.stringContaining('/v1.0/users/delta?'), fields: expect.arrayContaining(['mail', 'manager.mail', 'department']) });
  });
});

describe('Microsoft Entra ID: delta runs', () => {
  it('reads only the changes: changed users updated, a new user linked to its manager by id, a deleted user suspended, the others left alone', async () => {
    const all = sim.store.all();
    const changed = [all[5], all[6], all[7]].map((u) => sim.store.update(u.id, { jobTitle: `${u.jobTitle} II` }));
    const gone = all[9];
    sim.store.delete(gone.id);
    const hired = sim.store.add({ department: 'Sales' }, all[2].id);
    const from = sim.log.entries.length;
    const r = await run();
    expect(r.status, r.error ?? '').toBe('completed');
    expect(r.counts).toMatchObject({ created: 1, updated: 3, suspended: 1 });
    expect(graphCalls(from)).toEqual(['/v1.0/users/delta']);
    const users = await byEmail();
    expect(users.get(gone.mail)?.state).toBe('suspended');
    expect(users.get(hired.mail)).toMatchObject({ manager: all[2].mail, state: 'active' });
    for (const c of changed) expect((users.get(c.mail)!.profile as Record<string, unknown>).title).toBe(c.jobTitle);
    expect(users.get(all[10].mail)?.state).toBe('active');
    expect(r.log.some((l) => /Microsoft Graph: 4 users created or changed, 1 removed since the last run/.test(l.message))).toBe(true);
  });

  it('a delta token Graph no longer knows (410 syncStateNotFound) reads every user again, said in the log', async () => {
    sim.expireDeltaTokens();
    const from = sim.log.entries.length;
    const r = await run();
    expect(['completed', 'completed_with_errors'], `${r.status} ${r.error}`).toContain(r.status);
    expect(r.log.some((l) => l.level === 'warn' && /no longer knows the saved change tracking/.test(l.message))).toBe(true);
    expect(graphCalls(from)).toEqual(['/v1.0/users/delta', '/v1.0/users/delta', '/v1.0/users', '/v1.0/users']);
    expect(r.counts.created ?? 0).toBe(0);
  });

  it('an admin resetting the state makes the next run a full read', async () => {
    expect((await stack.admin.delete(`/api/v1/connections/${connectionId}/actions/import-users/state`)).statusCode).toBe(204);
    const from = sim.log.entries.length;
    const r = await run();
    expect(['completed', 'completed_with_errors']).toContain(r.status);
    expect(graphCalls(from)).toEqual(['/v1.0/users/delta', '/v1.0/users', '/v1.0/users']);
    expect(vendorCalls(r).calls).toBeGreaterThanOrEqual(3);
  });
});

describe('Microsoft Entra ID: the API connector contract', () => {
  apiContract({
    stack: () => stack,
    connectionId: () => connectionId,
    actionId: 'import-users',
    faults: () => sim.faults,
    readPath: '/v1.0/users',
    // A reset state makes the run a full read: the "sync from now" call and page 1 come before page 2.
    async prepareMultiPage() {
      await stack.admin.delete(`/api/v1/connections/${connectionId}/actions/import-users/state`);
      return { before: 2 };
    },
  });
});

describe('Microsoft Entra ID: delete the connection', () => {
  it('deleting the connection keeps its run history and its users', async () => {
    const runs = async () => (await stack.ctx.db.selectFrom('runs').select('id').where('connection_id', '=', connectionId).execute()).length;
    const before = await runs();
    expect(before).toBeGreaterThan(5);
    expect((await stack.admin.delete(`/api/v1/connections/${connectionId}`)).statusCode).toBe(204);
    expect((await stack.admin.get(`/api/v1/connections/${connectionId}`)).statusCode).toBe(404);
    expect(await runs()).toBe(before);
    expect((await usersOf(stack.ctx, stack.accountId)).length).toBeGreaterThan(USERS);
  });
});

describe('Microsoft Entra ID: a delta that sends only the changed properties', () => {
  // user-delta: "Updated instances are represented by their id with at least the updated properties".
  let partialSim: GraphSimulator;
  let id: number;
  beforeAll(async () => {
    partialSim = await startGraphSimulator({ users: 40, seed: 5, deltaChangedOnly: true });
  });
  afterAll(async () => partialSim?.close());

  it('reads such users again in full: nothing unchanged is imported as empty, the manager stays', async () => {
    const c = await stack.admin.post('/api/v1/connections', { connectorId: 'entra-id', name: 'Fabrikam', settings: { ...settings(), graphBaseUrl: `${partialSim.url}/v1.0`, loginBaseUrl: partialSim.url } });
    expect(c.statusCode, c.body).toBe(201);
    id = c.data.id;
    await stack.admin.put(`/api/v1/connections/${id}/user-import/mapping`, { mapping: MAPPING });
    const first = await runAction(stack, id, 'import-users');
    expect(first.status, first.error ?? '').toBe('completed');
    const u = partialSim.store.all()[12];
    partialSim.store.update(u.id, { jobTitle: 'Chief Tester' });
    const from = partialSim.log.entries.length;
    const r = await runAction(stack, id, 'import-users');
    expect(r.status, r.error ?? '').toBe('completed');
    expect(r.counts).toMatchObject({ read: 1, updated: 1 });
    // The delta round, then the user read again by id.
    expect(partialSim.log.entries.slice(from).map((e) => e.path).filter((p) => p.startsWith('/v1.0/'))).toEqual(['/v1.0/users/delta', '/v1.0/users']);
    const row = (await usersOf(stack.ctx, stack.accountId)).find((x) => x.email === u.mail)!;
    expect(row).toMatchObject({ name: u.displayName, manager: partialSim.store.managerOf(u.id)!.mail, state: 'active', profile: { title: 'Chief Tester' }, fields: { Department: u.department } });
  });
});
