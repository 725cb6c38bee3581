import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkdaySimulator, type WorkdaySimulator } from '../../../simulators/workday/server.ts';
import { skillItemId, skillItemName } from '../../../src/connectors/workday/actions/export-user-skills.ts';
import { workdayAccountKey, workdaySettings } from '../../../src/connectors/workday/settings.ts';
import { withExclusiveLock } from '../../../src/engine/exclusive-lock.ts';
import { createActiveField } from '../../../src/platform/fields/active-fields.ts';
import { recordAchievement } from '../../../src/platform/skills/skill-achievements.ts';
import { createSkill, setSkillRetired } from '../../../src/platform/skills/skills.ts';
import { waitForStatus } from '../../engine/helpers.ts';
import { apiClient, createAccountWithToken } from '../../helpers/api.ts';
import type { ImportApiStack } from '../../user-import/api-stack.ts';
import { usersOf } from '../../user-import/helpers.ts';
import { simSettings, startWorkdayStack, useWorkdayEngineEnv, WORKDAY_MAPPING } from './workday-fixture.ts';
import { HR_XSD, TALENT_XSD, validateBodies } from './xsd.ts';
useWorkdayEngineEnv();

// The Workday connector through the real engine against the Workday simulator: the contract of API
// connectors (pages, a 429 mid-run, refused credentials, persistent 5xx, incremental second run, rejects by
// Workday worker id), contingent exclusion, managers, filters, SOAP faults, and the skills export.

let sim: WorkdaySimulator;
let stack: ImportApiStack;
let stop: (() => Promise<void>) | undefined;
let connectionId: number;
const settings = () => simSettings(sim);
const MAPPING = {
  ...WORKDAY_MAPPING,
  fields: { ...WORKDAY_MAPPING.fields, 'Worker Type': 'wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Worker_Type_Reference.wd:ID.1.$' },
};

beforeAll(async () => {
  // 250 workers: 3 pages of 100; every 10th contingent, every 25th terminated.
  ({ sim, stack, stop } = await startWorkdayStack({ workers: 250 }));
  await createActiveField(stack.ctx.db, stack.accountId, { name: 'Worker Type', kind: 'csv', groupable: true });
}, 120_000);
afterAll(async () => {
  await stop?.();
});

const runOf = async (id: number) => (await stack.admin.get(`/api/v1/runs/${id}`)).data;
/** The last import run's view (its incremental state). */
let lastImport: { incremental: { before: unknown; after: { updatedThrough: string; excludeContingentWorkers: boolean } | null } };
const runImport = async () => {
  const run = await runOf((await stack.runImport(connectionId)).id);
  lastImport = run;
  return run;
};
const errorsOf = async (id: number) => (await stack.admin.get(`/api/v1/runs/${id}/errors.csv`)).body as string;
const active = () => sim.store.list.filter((w) => !w.terminated);
const byEmail = async () => Object.fromEntries((await usersOf(stack.ctx, stack.accountId)).map((u) => [u.email, u]));

describe('Workday through the engine', () => {
  it('a connection is tested before it is saved: a wrong password is refused with a clear error and saves nothing', async () => {
    const bad = await stack.admin.post('/api/v1/connections', { connectorId: 'workday', name: 'Workday', settings: { ...settings(), auth: { ...settings().auth, password: 'not-the-password' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('invalid username or password');
    expect(bad.body).not.toContain('not-the-password');
    const ok = await stack.admin.post('/api/v1/connections', { connectorId: 'workday', name: 'Workday', settings: settings() });
    expect(ok.statusCode, ok.body).toBe(201);
    connectionId = ok.data.id;
    expect(ok.data.secrets).toEqual({ 'auth.password': true });
    const c = (await stack.admin.get('/api/v1/connectors')).data.connectors.find((x: { id: string }) => x.id === 'workday');
    expect(c.actions.map((a: { id: string }) => a.id).sort()).toEqual(['export-user-skills', 'import-users']);
    const page = (await stack.admin.get(`/api/v1/connections/${connectionId}/user-import/mapping`)).data;
    expect(page.sourceFields).toHaveLength(67);
    expect((await stack.admin.put(`/api/v1/connections/${connectionId}/user-import/mapping`, { mapping: MAPPING })).statusCode).toBe(200);
    expect((await stack.admin.put(`/api/v1/connections/${connectionId}/user-import/settings`, { absentUsers: 'suspend', approvalThreshold: 1 })).statusCode).toBe(200);
  }, 60_000);

  it('over HTTPS, the tenant is trusted through the CA certificates of the connection settings', async () => {
    const tls = await startWorkdaySimulator({ workers: 3, https: true });
    try {
      const s = { ...settings(), hostUrl: tls.url };
      const untrusted = await stack.admin.post('/api/v1/connections', { connectorId: 'workday', name: 'Workday TLS', settings: s });
      expect(untrusted.statusCode).toBe(400);
      expect(untrusted.data.error.code).toBe('LMC_ERR_CONNECTION_TEST_FAILED');
      expect(untrusted.data.error.message).toContain('TLS certificate is not trusted');
      const trusted = await stack.admin.post('/api/v1/connections', { connectorId: 'workday', name: 'Workday TLS', settings: { ...s, caCertificates: tls.ca!.certPem } });
      expect(trusted.statusCode, trusted.body).toBe(201);
      expect((await stack.admin.delete(`/api/v1/connections/${trusted.data.id}`)).statusCode).toBeLessThan(300);
    } finally {
      await tls.close();
    }
  }, 60_000);

  it('a full read of every page through a 429: active workers become users, managers linked by Workday id, terminated workers absent', async () => {
    sim.requests.length = 0;
    sim.faults.push({ kind: '429', retryAfterSeconds: 1, pathContains: '/Human_Resources/', after: 1 });
    const run = await runImport();
    expect(run.status, JSON.stringify(run.log?.slice(-3))).toBe("completed");
    expect(run.counts).toMatchObject({ read: active().length, created: active().length });
    // Three pages, the second asked twice (the 429).
    const asked = sim.requests.filter((r) => r.operation === 'Get_Workers_Request');
    expect(asked).toHaveLength(3);
    expect(run.log.some((l: { message: string }) => /the vendor answered 429; trying again in 1 s/.test(l.message))).toBe(true);
    const users = await byEmail();
    const [w1, w6, w12, w25] = [1, 6, 12, 25].map((i) => sim.store.list[i]);
    expect(users[w6.email]).toMatchObject({ name: `${w6.firstName} ${w6.lastName}`, manager: w1.email, profile: { title: w6.businessTitle } });
    expect(users[w12.email].manager).toBe(sim.store.list[2].email);
    expect(users[w25.email]).toBeUndefined();
    expect(users[sim.store.list[10].email].fields).toMatchObject({ 'Worker Type': 'Contractor' });
    expect(users[w6.email].fields).toMatchObject({ Department: w6.department, 'Worker Type': 'Regular' });
    expect(run.incremental.after.excludeContingentWorkers).toBe(false);
    expect(await validateBodies(asked.flatMap((r) => [r.xml, r.response]).filter((x) => x.includes('Get_Workers_Re')), HR_XSD)).toBe('');
  }, 180_000);

  it('the second run reads only the changes of the transaction log (with an overlap); a terminated worker is suspended', async () => {
    const before = lastImport.incremental.after!;
    sim.requests.length = 0;
    const [changed, leaving] = [sim.store.list[6], sim.store.list[7]];
    sim.store.update(changed.workerId, { businessTitle: 'Principal Engineer' });
    sim.store.terminate(leaving.workerId);
    const run = await runImport();
    expect(run.status).toBe('completed');
    expect(run.counts).toMatchObject({ read: 1, updated: 1, suspended: 1 });
    const users = await byEmail();
    expect(users[changed.email].profile).toMatchObject({ title: 'Principal Engineer' });
    expect(users[leaving.email].state).toBe('suspended');
    const req = sim.requests[0].xml;
    const from = new Date(new Date(before.updatedThrough).getTime() - 5 * 60_000).toISOString();
    expect(req).toContain(`<wd:Updated_From>${from}</wd:Updated_From>`);
    expect(req).not.toContain('Exclude_Inactive_Workers');
    expect(await validateBodies([req, sim.requests[0].response], HR_XSD)).toBe('');
  }, 120_000);

  it('a worker the import refuses is in the error report under its Workday id', async () => {
    const w = sim.store.list[8];
    const email = w.email;
    sim.store.update(w.workerId, { email: 'not-an-address' });
    const run = await runImport();
    sim.store.update(w.workerId, { email });
    expect(run.status).toBe('completed_with_errors');
    // The changes of the last run are read again too (the overlap): unchanged.
    expect(run.counts).toMatchObject({ rejected: 1, created: 0 });
    expect(await errorsOf(run.id)).toContain(`Workday,,${w.workerId},email,"invalid email address ""not-an-address"""`);
  }, 120_000);

  it('Exclude Contingent Workers: the next read is a full one without them, so the contingent users are suspended', async () => {
    const patch = await stack.admin.patch(`/api/v1/connections/${connectionId}`, { settings: { ...settings(), auth: { username: settings().auth.username }, excludeContingentWorkers: true } });
    expect(patch.statusCode, patch.body).toBe(200);
    sim.requests.length = 0;
    const run = await runImport();
    expect(run.status).toBe('completed');
    const contingent = active().filter((w) => w.contingent);
    expect(contingent.length).toBeGreaterThan(10);
    expect(run.counts.suspended).toBe(contingent.length);
    expect(sim.requests[0].xml).toContain('<wd:Exclude_Contingent_Workers>true</wd:Exclude_Contingent_Workers>');
    const users = await byEmail();
    for (const w of contingent) expect(users[w.email].state).toBe('suspended');
    expect(users[sim.store.list[6].email].state).toBe('active');
  }, 180_000);

  it('the manager filter imports only the hierarchy under a manager', async () => {
    const boss = sim.store.list[2];
    expect((await stack.admin.put(`/api/v1/connections/${connectionId}/user-import/filters`, { managers: [boss.email], values: [] })).statusCode).toBe(200);
    expect((await stack.admin.put(`/api/v1/connections/${connectionId}/user-import/settings`, { absentUsers: 'keep', approvalThreshold: 1 })).statusCode).toBe(200);
    sim.store.update(sim.store.list[12].workerId, { businessTitle: 'Team Lead' }); // under 2
    sim.store.update(sim.store.list[30].workerId, { businessTitle: 'Team Lead' }); // under 5, not under 2
    const run = await runImport();
    expect(run.status).toBe('completed');
    const users = await byEmail();
    expect(users[sim.store.list[12].email].profile).toMatchObject({ title: 'Team Lead' });
    expect(users[sim.store.list[30].email].profile).not.toMatchObject({ title: 'Team Lead' });
    expect((await stack.admin.put(`/api/v1/connections/${connectionId}/user-import/filters`, { managers: [], values: [] })).statusCode).toBe(200);
  }, 120_000);

  it('a Workday fault fails the run with a clear error; Workday failing on and on fails it with a retryable code, the cursor kept', async () => {
    const before = lastImport.incremental.after!;
    sim.soapFaults.push({ kind: 'validation', message: 'Invalid Organization_Reference_ID: SUP-X', operation: 'Get_Workers_Request' });
    const fault = await runImport();
    expect(fault.status).toBe('failed');
    expect(fault.errorCode).toBe('LMC_ERR_WORKDAY_VALIDATION_FAULT');
    expect(fault.error).toContain('Invalid Organization_Reference_ID: SUP-X');
    sim.faults.push({ kind: '503', count: 30, pathContains: '/Human_Resources/' });
    const down = await runImport();
    expect(down.status).toBe('failed');
    expect(down.errorCode).toBe('LMC_ERR_HTTP_SERVER');
    expect(down.error).toContain('The service is temporarily unavailable.');
    expect(down.error).not.toContain('<');
    sim.faults.length = 0;
    const next = await runImport();
    expect(next.status).toBe('completed');
    expect(next.incremental.before).toEqual(before);
  }, 180_000);

  it('Export User Skills can be scheduled every N days (not hours), from a start date and time', async () => {
    const base = `/api/v1/connections/${connectionId}/actions/export-user-skills/schedule`;
    const year = new Date().getUTCFullYear() + 1;
    const hours = await stack.admin.put(base, { enabled: true, startLocal: `${year}-01-01T02:00`, timeZone: 'Europe/Paris', every: 6, unit: 'hours' });
    expect(hours.statusCode).toBe(400);
    expect(hours.data.error.code).toBe('LMC_ERR_SCHEDULE_UNIT_NOT_ALLOWED');
    const days = await stack.admin.put(base, { enabled: true, startLocal: `${year}-01-01T02:00`, timeZone: 'Europe/Paris', every: 7, unit: 'days' });
    expect(days.statusCode, days.body).toBe(200);
    // 02:00 in Paris in January is 01:00 UTC.
    expect(new Date(days.data.nextDueAt).toISOString()).toBe(`${year}-01-01T01:00:00.000Z`);
    expect((await stack.admin.delete(base)).statusCode).toBe(204);
  }, 60_000);

  it('Export User Skills: active skills of the period go to the workers as skill items; a second account on the same tenant shares the items; simultaneous exports are refused', async () => {
    const { ctx, accountId } = stack;
    const negotiation = await createSkill(ctx.db, accountId, { name: 'Negotiation', levels: [{ name: 'Beginner' }, { name: 'Expert' }] });
    const old = await createSkill(ctx.db, accountId, { name: 'Fax Machines' });
    const [a, b, gone] = [sim.store.list[6], sim.store.list[12], sim.store.list[7]];
    await recordAchievement(ctx.db, accountId, { user: a.email, skillLevelId: negotiation.levels[1].id, credits: 0 });
    await recordAchievement(ctx.db, accountId, { user: b.email, skillLevelId: negotiation.levels[0].id, credits: 0 });
    await recordAchievement(ctx.db, accountId, { user: gone.email, skillLevelId: negotiation.levels[0].id, credits: 0 });
    await recordAchievement(ctx.db, accountId, { user: a.email, skillLevelId: old.levels[0].id, credits: 0 });
    await setSkillRetired(ctx.db, accountId, old.id, true);
    // An account's admin not imported from Workday has a skill too: a reject naming the user.
    await recordAchievement(ctx.db, accountId, { user: 'admin@acme.test', skillLevelId: negotiation.levels[0].id, credits: 0 });
    sim.requests.length = 0;
    const since = new Date(Date.now() - 86400_000).toISOString();
    const started = await stack.admin.post('/api/v1/runs', { connectionId, actionId: 'export-user-skills', since });
    expect(started.statusCode, started.body).toBe(202);
    const run = await runOf((await waitForStatus(ctx, accountId, started.data.id, ['completed', 'completed_with_errors', 'failed'])).id);
    expect(run.status, run.error).toBe('completed_with_errors');
    expect(run.counts).toMatchObject({ created: 2, rejected: 1 });
    expect(await errorsOf(run.id)).toContain('admin@acme.test');
    const expert = skillItemId(skillItemName('Negotiation', '2', 'Expert'));
    expect([...sim.store.workerSkills.get(a.workerId)!]).toEqual([expert]);
    expect([...sim.store.workerSkills.get(b.workerId)!]).toEqual([skillItemId(skillItemName('Negotiation', '1', 'Beginner'))]);
    expect(sim.store.workerSkills.get(gone.workerId)).toBeUndefined();
    expect(sim.store.skillItems.get(expert)).toEqual({ name: 'Negotiation: Expert', category: 'Learning Manager' });
    expect(await validateBodies(sim.requests.flatMap((r) => [r.xml, r.response]), TALENT_XSD)).toBe('');
    // Each skill item of the run is added once (Put_Skill), then given to the workers (Manage_Skills).
    expect(sim.requests.filter((r) => r.operation === 'Put_Skill_Request')).toHaveLength(2);

    // A second account on the same tenant: its "Negotiation: Expert" is the same skill item.
    const other = await createAccountWithToken(ctx, { email: 'admin@beta.test' });
    const admin2 = apiClient(stack.app, other.token);
    await createActiveField(ctx.db, other.account.id, { name: 'Department', kind: 'csv', groupable: true });
    await createActiveField(ctx.db, other.account.id, { name: 'Worker Type', kind: 'csv', groupable: true });
    const c2 = (await admin2.post('/api/v1/connections', { connectorId: 'workday', name: 'Workday', settings: settings() })).data.id;
    expect((await admin2.put(`/api/v1/connections/${c2}/user-import/mapping`, { mapping: MAPPING })).statusCode).toBe(200);
    const imp = await admin2.post('/api/v1/runs', { connectionId: c2, actionId: 'import-users' });
    expect((await waitForStatus(ctx, other.account.id, imp.data.id, ['completed', 'completed_with_errors', 'failed'])).status).toBe('completed');
    const skill2 = await createSkill(ctx.db, other.account.id, { name: 'Negotiation', levels: [{ name: 'Beginner' }, { name: 'Expert' }] });
    const c = sim.store.list[40];
    await recordAchievement(ctx.db, other.account.id, { user: c.email, skillLevelId: skill2.levels[1].id, credits: 0 });
    const exp2 = async () => {
      const r = await admin2.post('/api/v1/runs', { connectionId: c2, actionId: 'export-user-skills', since });
      return (await admin2.get(`/api/v1/runs/${(await waitForStatus(ctx, other.account.id, r.data.id, ['completed', 'completed_with_errors', 'failed'])).id}`)).data;
    };
    // While account 1 exports to this Workday account, account 2's export is refused.
    const held = await withExclusiveLock(ctx, workdayAccountKey(workdaySettings.parse(settings())), exp2);
    expect(held.busy).toBe(false);
    const busy = (held as { value: Awaited<ReturnType<typeof exp2>> }).value;
    expect(busy.status).toBe('failed');
    expect(busy.errorCode).toBe('LMC_ERR_WORKDAY_EXPORT_BUSY');
    expect(busy.error).toContain('Skills from multiple accounts cannot be exported simultaneously with the same Workday account');
    const done = await exp2();
    expect(done.status).toBe('completed');
    expect([...sim.store.workerSkills.get(c.workerId)!]).toEqual([expert]);
    expect([...sim.store.skillItems.values()].filter((s) => s.name === 'Negotiation: Expert')).toHaveLength(1);

    // The connection's skill item category does not exist in the tenant: the run stops and says which one.
    sim.store.skillItemCategories.delete('Learning Manager');
    try {
      const missing = await exp2();
      expect(missing.status).toBe('failed');
      expect(missing.errorCode).toBe('LMC_ERR_WORKDAY_SKILL_CATEGORY_UNKNOWN');
      expect(missing.error).toContain('"Learning Manager"');
    } finally {
      sim.store.skillItemCategories.add('Learning Manager');
    }
  }, 240_000);
});
