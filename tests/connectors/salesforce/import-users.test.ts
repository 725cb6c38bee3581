import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEngineEnv } from '../../engine/helpers.ts';
useTestEngineEnv();
import { HttpErrors } from '../../../src/kit/http/index.ts';
import { usersOf } from '../../user-import/helpers.ts';
import { DEFAULT_SF_APP } from '../../../simulators/salesforce/server.ts';
import { startSalesforceStack, type SalesforceStack } from './salesforce-stack.ts';

// "Import Internal Users" from Salesforce through the real engine against the simulated org: the API
// connector contract (several pages, REQUEST_LIMIT_EXCEEDED and an expired session mid-run, a persistent 5xx,
// an incremental second run, rejects naming the Salesforce record id), and Contacts with a subset and managers.
let s: SalesforceStack;
let users: number;
const MAPPING = { email: 'Email', name: 'Name', manager: 'Manager.Email', userType: null, profile: { title: 'Title' }, fields: { Department: 'Department' } };

const keys = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });

beforeAll(async () => {
  s = await startSalesforceStack({ users: 12, contacts: 30, queryPageSize: 5, publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
});
afterAll(async () => s?.stop());

const platformUsers = async () => Object.fromEntries((await usersOf(s.ctx, s.accountId)).map((u) => [u.email, u]));

describe('Salesforce Users into the platform', () => {
  let broken: string;
  it('connects with the org URL and the OAuth web server flow; the mapping page lists describe\'s fields with the manager\'s e-mail', async () => {
    users = await s.connect('Org users');
    const page = (await s.admin.get(`/api/v1/connections/${users}/user-import/mapping`)).data;
    expect(page.csvColumns).toEqual(expect.arrayContaining(['Email', 'Name', 'Title', 'Department', 'EmployeeNumber', 'Manager.Email']));
    expect(page.sourceFields.find((f: { name: string }) => f.name === 'Manager.Email')).toMatchObject({ type: 'email' });
    const saved = await s.admin.put(`/api/v1/connections/${users}/user-import/mapping`, { mapping: MAPPING });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await s.admin.put(`/api/v1/connections/${users}/user-import/settings`, { absentUsers: 'suspend', approvalThreshold: 1 })).statusCode).toBe(200);
  });

  it('reads every page through REQUEST_LIMIT_EXCEEDED and an expired session; a bad record is rejected by its Salesforce id', async () => {
    broken = s.sim.store.insert('User', { Username: 'broken@sf.test', Email: 'not-an-address', FirstName: 'Bro', LastName: 'Ken', IsActive: true }).Id as string;
    s.sim.store.insert('User', { Username: 'gone@sf.test', Email: 'gone@example.com', FirstName: 'In', LastName: 'Active', IsActive: false });
    // 13 active users, 5 a page: the second page is throttled, the third finds the session expired.
    s.sim.faults.push({ kind: '429', pathContains: '/query', after: 1 }, { kind: 'expire-token', pathContains: '/query', after: 2 });
    const run = await s.run(users, 'import-users');
    expect(run.status).toBe('completed_with_errors');
    expect(run.counts).toMatchObject({ read: 13, created: 12, rejected: 1 });
    const summary = run.log.find((l: { message: string }) => l.message.startsWith('vendor API:'));
    expect(summary.data).toMatchObject({ throttled: 1, authRefreshes: 1 });
    expect(s.sim.log.entries.filter((e) => e.path.includes('/query/')).length).toBeGreaterThanOrEqual(2);
    const errors = await s.errors(run.id);
    expect(errors).toContain(`Salesforce,,${broken},email,`);
    const p = await platformUsers();
    expect(p['gone@example.com']).toBeUndefined();
    const sfUsers = s.sim.store.all('User');
    const withBoss = sfUsers.find((u) => u.ManagerId)!;
    const boss = sfUsers.find((u) => u.Id === withBoss.ManagerId)!;
    expect(p[String(withBoss.Email)].manager).toBe(boss.Email);
    expect(p[String(withBoss.Email)].fields).toMatchObject({ Department: withBoss.Department });
    expect(run.incremental.before).toBeNull();
    expect(run.incremental.after.modifiedSince).toMatch(/^\d{4}-/);
  });

  it('a second run reads only the changes and the deletions; a deactivated user is suspended', async () => {
    const sfUsers = s.sim.store.all('User').filter((u) => u.IsActive && u.Email !== 'not-an-address');
    const [changed, deactivated, deleted] = [sfUsers[2], sfUsers[3], sfUsers[4]];
    s.sim.store.update('User', changed.Id as string, { Title: 'Head of Learning' });
    s.sim.store.update('User', deactivated.Id as string, { IsActive: false });
    s.sim.store.remove('User', deleted.Id as string);
    // getDeleted takes whole seconds (Salesforce even whole minutes): the deletion must be in a past second.
    await new Promise((r) => setTimeout(r, 1100));
    s.sim.log.reset();
    const run = await s.run(users, 'import-users');
    expect(run.status, JSON.stringify(run.log)).toBe('completed');
    expect(run.counts, JSON.stringify([run.log, run.incremental])).toMatchObject({ read: 1, updated: 1, suspended: 2 });
    expect(run.log.some((l: { data?: { soql?: string } }) => /SystemModstamp > \d{4}-/.test(l.data?.soql ?? ''))).toBe(true);
    expect(s.sim.log.entries.filter((e) => e.path.includes('/deleted'))).toHaveLength(1);
    const p = await platformUsers();
    expect(p[String(changed.Email)].profile).toMatchObject({ title: 'Head of Learning' });
    expect(p[String(deactivated.Email)].state).toBe('suspended');
    expect(p[String(deleted.Email)].state).toBe('suspended');
    expect(run.incremental.after.modifiedSince > run.incremental.before.modifiedSince).toBe(true);
  });

  it('a Salesforce that keeps failing fails the run with a retryable code; the position stays', async () => {
    const before = (await s.admin.get(`/api/v1/connections/${users}/actions/import-users/state`)).data;
    s.sim.faults.push({ kind: '503', count: 50, pathContains: '/query' });
    const run = await s.run(users, 'import-users');
    s.sim.faults.length = 0;
    expect(run.status).toBe('failed');
    expect(run.errorCode).toBe('LMC_ERR_HTTP_SERVER');
    expect(HttpErrors.SERVER.create().retryable).toBe(true);
    expect((await s.admin.get(`/api/v1/connections/${users}/actions/import-users/state`)).data).toEqual(before);
  });
});

describe('the org\'s daily API allowance', () => {
  it('once spent, the run fails at once with Salesforce\'s REQUEST_LIMIT_EXCEEDED (no retries: waiting minutes would not help)', async () => {
    const max = s.sim.apiUsage.max;
    s.sim.apiUsage.max = s.sim.apiUsage.used;
    s.sim.log.reset();
    try {
      const run = await s.run(users, 'import-users');
      expect(run.status).toBe('failed');
      expect(run.errorCode).toBe('LMC_ERR_HTTP_CLIENT');
      expect(String(run.error)).toMatch(/HTTP 403, vendor code REQUEST_LIMIT_EXCEEDED.*TotalRequests Limit exceeded/);
      expect(s.sim.log.entries.filter((e) => e.status === 403)).toHaveLength(1);
    } finally {
      s.sim.apiUsage.max = max;
    }
  });
});

describe('an unattended org (JWT bearer flow)', () => {
  it('signs in with the app\'s certificate, without Connect: tested before it is saved, then runs', async () => {
    const settings = (privateKey: string) => ({ orgUrl: s.sim.url, auth: { method: 'jwt-bearer', clientId: DEFAULT_SF_APP.clientId, username: s.sim.store.adminUsername, privateKey }, importFrom: { object: 'Contact', subset: { field: 'Region__c', values: ['EMEA'] } } });
    const wrongKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const refused = await s.admin.post('/api/v1/connections', { connectorId: 'salesforce', name: 'Unattended', settings: settings(wrongKey) });
    // Salesforce answers invalid_grant ("invalid assertion"), which the kit reads as a refused authorization.
    expect(refused.statusCode).toBe(409);
    expect(refused.data.error.code).toBe('LMC_ERR_AUTH_NEEDS_REAUTHORIZATION');
    expect(refused.data.error.message).toContain('invalid assertion');
    expect(JSON.stringify(refused.data)).not.toContain('PRIVATE KEY');
    const created = await s.admin.post('/api/v1/connections', { connectorId: 'salesforce', name: 'Unattended', settings: settings(keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()) });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.data.secrets).toMatchObject({ 'auth.privateKey': true });
    expect(JSON.stringify(created.data)).not.toContain('PRIVATE KEY');
    const auth = (await s.admin.get(`/api/v1/connections/${created.data.id}/authorization`)).data;
    expect(auth).toMatchObject({ interactive: false });
    await s.admin.put(`/api/v1/connections/${created.data.id}/user-import/mapping`, { mapping: { ...MAPPING, manager: 'ReportsTo.Email' } });
    const run = await s.run(created.data.id, 'import-users');
    expect(run.status, JSON.stringify(run.log)).not.toBe('failed');
    expect(run.counts.read).toBe(s.sim.store.all('Contact').filter((c) => c.Region__c === 'EMEA').length);
  });
});

describe('Salesforce Contacts into the platform', () => {
  it('imports the subset of contacts chosen by a field\'s values, with their managers through ReportsTo', async () => {
    // Contacts of the AMER region: the even ones, each reporting to contact 0, 10 or 20 (AMER too).
    const id = await s.connect('Partner contacts', { object: 'Contact', subset: { field: 'Region__c', values: ['AMER'] } });
    const page = (await s.admin.get(`/api/v1/connections/${id}/user-import/mapping`)).data;
    expect(page.csvColumns).toEqual(expect.arrayContaining(['Email', 'ReportsTo.Email', 'Partner_Level__c', 'Region__c']));
    expect(page.csvColumns).not.toContain('Manager.Email');
    const saved = await s.admin.put(`/api/v1/connections/${id}/user-import/mapping`, { mapping: { ...MAPPING, manager: 'ReportsTo.Email' } });
    expect(saved.statusCode, saved.body).toBe(200);
    const run = await s.run(id, 'import-users');
    expect(run.status, JSON.stringify(run.log)).toBe('completed');
    const amer = s.sim.store.all('Contact').filter((c) => c.Region__c === 'AMER');
    expect(run.counts).toMatchObject({ read: amer.length, created: amer.length });
    const p = await platformUsers();
    for (const c of s.sim.store.all('Contact')) expect(Boolean(p[String(c.Email)])).toBe(c.Region__c === 'AMER');
    const report = amer.find((c) => c.ReportsToId)!;
    const boss = s.sim.store.get('Contact', report.ReportsToId as string)!;
    expect(p[String(report.Email)].manager).toBe(boss.Email);
    // A contact moved out of the subset is removed from the connection's users by the next (delta) run.
    const moved = amer.find((c) => c.ReportsToId && c.Id !== boss.Id)!;
    s.sim.store.update('Contact', moved.Id as string, { Region__c: 'EMEA' });
    await s.admin.put(`/api/v1/connections/${id}/user-import/settings`, { absentUsers: 'suspend', approvalThreshold: 1 });
    const next = await s.run(id, 'import-users');
    expect(next.counts).toMatchObject({ suspended: 1 });
    expect((await platformUsers())[String(moved.Email)].state).toBe('suspended');
  });

  it('reads through a Bulk API 2.0 query job when the org holds more records than bulkAbove', async () => {
    const id = await s.connect('All contacts', { object: 'Contact', bulkAbove: 6 });
    await s.admin.put(`/api/v1/connections/${id}/user-import/mapping`, { mapping: { ...MAPPING, manager: 'ReportsTo.Email' } });
    s.sim.log.reset();
    const run = await s.run(id, 'import-users');
    expect(run.status, JSON.stringify(run.log)).toBe('completed');
    const all = s.sim.store.all('Contact');
    expect(run.counts.read).toBe(all.length);
    expect(run.log.some((l: { message: string }) => l.message === `Salesforce: ${all.length} records, reading them through a Bulk API 2.0 query job`)).toBe(true);
    expect(s.sim.log.entries.some((e) => e.method === 'POST' && e.path.endsWith('/jobs/query'))).toBe(true);
    expect(s.sim.log.entries.filter((e) => /\/query\/01g/.test(e.path))).toHaveLength(0);
    const p = await platformUsers();
    const report = all.find((c) => c.ReportsToId && c.Region__c === 'EMEA')!;
    expect(p[String(report.Email)].manager).toBe(s.sim.store.get('Contact', report.ReportsToId as string)!.Email);
    expect(run.incremental.after.modifiedSince).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('refuses a subset for Users and a subset field that is not a field name', async () => {
    const bad = await s.admin.post('/api/v1/connections', { connectorId: 'salesforce', name: 'Bad', settings: { orgUrl: s.sim.url, auth: { clientId: 'x' }, importFrom: { object: 'User', subset: { field: 'Region__c', values: ['AMER'] } } } });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.data)).toMatch(/subset applies to Contacts only/);
    const inj = await s.admin.post('/api/v1/connections', { connectorId: 'salesforce', name: 'Bad', settings: { orgUrl: s.sim.url, auth: { clientId: 'x' }, importFrom: { object: 'Contact', subset: { field: "Email = 'x' OR Id", values: ['a'] } } } });
    expect(inj.statusCode).toBe(400);
  });
});
