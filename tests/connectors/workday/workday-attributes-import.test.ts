import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEngineEnv } from '../../engine/helpers.ts';
useTestEngineEnv();
// Pages of about 1 MB of XML are parsed in one go; the fast lease of the engine tests is not what this tests.
process.env.LMC_RUN_LEASE_MS = '30000';
process.env.LMC_RUN_HEARTBEAT_MS = '500';
import { DEFAULT_WORKDAY_ISU, startWorkdaySimulator, type WorkdaySimulator } from '../../../simulators/workday/server.ts';
import { createActiveField } from '../../../src/platform/fields/active-fields.ts';
import { startImportApi, type ImportApiStack } from '../../user-import/api-stack.ts';
import { usersOf } from '../../user-import/helpers.ts';
import { expected, SPEC_ATTRIBUTES } from './spec-attributes.ts';

// Every attribute of the spec's list, mapped to an active field, goes through the real import: what lands in
// the users' fields is what Workday holds for their workers.

let sim: WorkdaySimulator;
let stack: ImportApiStack;
const fieldName = (i: number) => `WD ${String(i + 1).padStart(2, '0')}`;

beforeAll(async () => {
  sim = await startWorkdaySimulator({ workers: 40 });
  // A retired worker, so Retired and Retirement_Date carry values too.
  sim.store.update(sim.store.list[7].workerId, { retired: true, retirementDate: sim.store.list[7].hireDate });
  stack = await startImportApi();
  for (let i = 0; i < SPEC_ATTRIBUTES.length; i++) await createActiveField(stack.ctx.db, stack.accountId, { name: fieldName(i), kind: 'csv', groupable: false });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await sim?.close();
});

describe('the Workday attributes through the import', () => {
  it('each of the attributes of the spec fills the active field mapped to it', async () => {
    const settings = { hostUrl: sim.url, tenant: sim.tenant, auth: { username: `${DEFAULT_WORKDAY_ISU.username}@${sim.tenant}`, password: DEFAULT_WORKDAY_ISU.password } };
    const c = await stack.admin.post('/api/v1/connections', { connectorId: 'workday', name: 'Workday', settings });
    expect(c.statusCode, c.body).toBe(201);
    const fields: Record<string, string> = { Department: 'wd:Organization_Subtype_Reference_Department' };
    SPEC_ATTRIBUTES.forEach((a, i) => (fields[fieldName(i)] = a));
    const mapping = { email: 'Primary Work Email', name: 'wd:Personal_Data.wd:Name_Data.wd:Legal_Name_Data.wd:Name_Detail_Data.@wd:Formatted_Name', manager: 'manager', userType: null, profile: {}, fields };
    const m = await stack.admin.put(`/api/v1/connections/${c.data.id}/user-import/mapping`, { mapping });
    expect(m.statusCode, m.body).toBe(200);
    const run = await stack.runImport(c.data.id);
    expect(run.status, `${run.error}`).toBe('completed');
    const users = Object.fromEntries((await usersOf(stack.ctx, stack.accountId)).map((u) => [u.email, u]));
    const workers = sim.store.list.filter((w) => !w.terminated);
    expect(run.counts).toMatchObject({ read: workers.length, created: workers.length });
    let checked = 0;
    for (const w of workers) {
      const u = users[w.email];
      const want = expected(w, sim.store);
      const got = Object.fromEntries(SPEC_ATTRIBUTES.map((a, i) => [a, (u.fields as Record<string, string | undefined>)[fieldName(i)] ?? '']));
      expect(got, `worker ${w.workerId}`).toEqual(Object.fromEntries(SPEC_ATTRIBUTES.map((a) => [a, want[a] === null ? '' : String(want[a])])));
      // "manager" links the user to the user of the worker's manager.
      expect(u.manager).toBe(w.managerId ? sim.store.get(w.managerId)!.email : null);
      checked++;
    }
    expect(checked).toBe(workers.length);
  }, 240_000);
});
