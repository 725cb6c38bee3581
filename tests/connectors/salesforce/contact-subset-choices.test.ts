import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEngineEnv } from '../../engine/helpers.ts';
useTestEngineEnv();
import { apiClient, createAccountWithToken } from '../../helpers/api.ts';
import { startSalesforceStack, type SalesforceStack } from './salesforce-stack.ts';

// "Yes, a subset": the Contact columns and a column's values are offered from the org's data, through the
// kit's vendor lists (connector `choices`, GET /api/v1/connections/{id}/choices/{list}) against the simulated
// org; the subset chosen in the new shape is what the import reads.
let s: SalesforceStack;
let conn: number;

beforeAll(async () => {
  s = await startSalesforceStack({ users: 3, contacts: 30, queryPageSize: 5 });
  conn = await s.connect('Partner contacts', { object: 'Contact' });
});
afterAll(async () => s?.stop());

const countsOf = (field: string) => {
  const n = new Map<string, number>();
  for (const c of s.sim.store.all('Contact')) if (c[field] !== null && c[field] !== undefined && c[field] !== '') n.set(String(c[field]), (n.get(String(c[field])) ?? 0) + 1);
  return n;
};

describe('Contact subset values offered from the org', () => {
  it('the settings schema names the lists on the subset\'s column and values, with the values\' param', async () => {
    const c = (await s.admin.get('/api/v1/connectors/salesforce')).data;
    const text = JSON.stringify(c.settingsSchema);
    expect(text).toContain('"choicesFrom":{"list":"contact-columns"}');
    expect(text).toContain('"choicesFrom":{"list":"contact-column-values","params":{"field":"field"},"many":true}');
    expect(text).toContain('Yes, a subset');
    expect(text).toContain('No, import all Contacts');
  });

  it('lists the Contact columns a subset can be chosen by (describe: text, picklists, custom fields; no ids or lookups)', async () => {
    const r = await s.admin.get(`/api/v1/connections/${conn}/choices/contact-columns`);
    expect(r.statusCode, r.body).toBe(200);
    const values = r.data.choices.map((x: { value: string }) => x.value);
    expect(values).toEqual(expect.arrayContaining(['LeadSource', 'Partner_Level__c', 'Region__c', 'Department', 'Email']));
    expect(values).not.toContain('Id');
    expect(values).not.toContain('ReportsToId');
    expect(r.data.choices.find((x: { value: string }) => x.value === 'Region__c')).toEqual({ value: 'Region__c', label: 'Region (custom)' });
    expect(r.data.truncated).toBe(false);
  });

  it('lists the values a column holds in the org, most frequent first, with their counts (one GROUP BY query)', async () => {
    s.sim.store.insert('Contact', { LastName: 'Extra', Email: 'extra@partner.test', Partner_Level__c: 'Gold' });
    s.sim.log.reset();
    const r = await s.admin.get(`/api/v1/connections/${conn}/choices/contact-column-values?field=Partner_Level__c`);
    expect(r.statusCode, r.body).toBe(200);
    const expected = [...countsOf('Partner_Level__c')].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    expect(r.data.choices).toEqual(expected);
    expect(r.data.choices[0]).toEqual({ value: 'Gold', count: countsOf('Partner_Level__c').get('Gold') });
    const queries = s.sim.log.entries.filter((e) => e.path.endsWith('/query'));
    expect(queries).toHaveLength(1);
    const region = await s.admin.get(`/api/v1/connections/${conn}/choices/contact-column-values?field=Region__c`);
    expect(region.data.choices.map((x: { value: string }) => x.value).sort()).toEqual(['AMER', 'EMEA']);
  });

  it('refuses a list it does not know, params that are not a field name, and a column contacts cannot be chosen by', async () => {
    const unknown = await s.admin.get(`/api/v1/connections/${conn}/choices/contact-secrets`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.data.error.code).toBe('LMC_ERR_CONNECTOR_NO_SUCH_CHOICES');
    const missing = await s.admin.get(`/api/v1/connections/${conn}/choices/contact-column-values`);
    expect(missing.statusCode).toBe(400);
    expect(missing.data.error).toMatchObject({ code: 'LMC_ERR_CONNECTOR_BAD_CHOICES_PARAMS', field: 'field' });
    const inj = await s.admin.get(`/api/v1/connections/${conn}/choices/contact-column-values?field=${encodeURIComponent("Email = 'x' OR Id")}`);
    expect(inj.statusCode).toBe(400);
    expect(inj.data.error.code).toBe('LMC_ERR_CONNECTOR_BAD_CHOICES_PARAMS');
    const lookup = await s.admin.get(`/api/v1/connections/${conn}/choices/contact-column-values?field=ReportsToId`);
    expect(lookup.statusCode).toBe(400);
    expect(lookup.data.error.code).toBe('LMC_ERR_SALESFORCE_NO_SUCH_FIELD');
    expect(lookup.data.error.message).toContain('Contact.ReportsToId');
  });

  it('answers integration admins of the connection\'s account only', async () => {
    const learner = await createAccountWithToken(s.ctx, { roles: ['learner'], email: 'learner@other.test' });
    const other = await createAccountWithToken(s.ctx, { email: 'admin@other.test' });
    const asLearner = await apiClient(s.app, learner.token).get(`/api/v1/connections/${conn}/choices/contact-columns`);
    expect(asLearner.statusCode).toBe(403);
    const elsewhere = await apiClient(s.app, other.token).get(`/api/v1/connections/${conn}/choices/contact-columns`);
    expect(elsewhere.statusCode).toBe(404);
    expect(await apiClient(s.app).get(`/api/v1/connections/${conn}/choices/contact-columns`).then((r) => r.statusCode)).toBe(401);
  });

  it('the subset chosen from the offered values is what the import reads; "No, import all Contacts" reads every contact', async () => {
    const values = (await s.admin.get(`/api/v1/connections/${conn}/choices/contact-column-values?field=Partner_Level__c`)).data.choices.map((x: { value: string }) => x.value);
    const chosen = values.slice(0, 2);
    const current = (await s.admin.get(`/api/v1/connections/${conn}`)).data;
    const patched = await s.admin.patch(`/api/v1/connections/${conn}`, { settings: { ...current.settings, importFrom: { object: 'Contact', subset: { choose: 'some', field: 'Partner_Level__c', values: chosen } } } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.data.settings.importFrom).toEqual({ object: 'Contact', subset: { choose: 'some', field: 'Partner_Level__c', values: chosen }, bulkAbove: 50_000 });
    await s.admin.put(`/api/v1/connections/${conn}/user-import/mapping`, { mapping: { email: 'Email', name: 'Name', manager: 'ReportsTo.Email', userType: null, profile: {}, fields: { Department: 'Department' } } });
    const run = await s.run(conn, 'import-users');
    expect(run.status, JSON.stringify(run.log)).not.toBe('failed');
    const inSubset = s.sim.store.all('Contact').filter((c) => chosen.includes(String(c.Partner_Level__c)));
    expect(run.counts.read).toBe(inSubset.length);
    expect(run.log.some((l: { data?: { soql?: string } }) => l.data?.soql?.includes(`Partner_Level__c IN ('${chosen[0]}', '${chosen[1]}')`))).toBe(true);

    const all = await s.admin.patch(`/api/v1/connections/${conn}`, { settings: { ...current.settings, importFrom: { object: 'Contact', subset: { choose: 'all' } } } });
    expect(all.statusCode, all.body).toBe(200);
    await s.admin.delete(`/api/v1/connections/${conn}/actions/import-users/state`);
    const every = await s.run(conn, 'import-users');
    expect(every.counts.read).toBe(s.sim.store.all('Contact').length);
  });

  it('reads settings saved in the earlier shape (subset null, or a field and values) as the choice', async () => {
    const legacy = await s.admin.post('/api/v1/connections', { connectorId: 'salesforce', name: 'Earlier', settings: { orgUrl: s.sim.url, auth: { clientId: 'x' }, importFrom: { object: 'Contact', subset: null } } });
    expect(legacy.statusCode, legacy.body).toBe(201);
    expect(legacy.data.settings.importFrom).toEqual({ object: 'Contact', subset: { choose: 'all' }, bulkAbove: 50_000 });
    const some = await s.admin.post('/api/v1/connections', { connectorId: 'salesforce', name: 'Earlier subset', settings: { orgUrl: s.sim.url, auth: { clientId: 'x' }, importFrom: { object: 'Contact', subset: { field: 'Region__c', values: ['AMER'] } } } });
    expect(some.data.settings.importFrom.subset).toEqual({ choose: 'some', field: 'Region__c', values: ['AMER'] });
    const empty = await s.admin.post('/api/v1/connections', { connectorId: 'salesforce', name: 'No values', settings: { orgUrl: s.sim.url, auth: { clientId: 'x' }, importFrom: { object: 'Contact', subset: { choose: 'some', field: 'Region__c', values: [] } } } });
    expect(empty.statusCode).toBe(400);
    expect(JSON.stringify(empty.data)).toContain('choose at least one value');
  });
});
