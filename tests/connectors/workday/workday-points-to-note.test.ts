import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simSettings, useWorkdayEngineEnv, WORKDAY_MAPPING } from './workday-fixture.ts';
useWorkdayEngineEnv();
import { startWorkdaySimulator, type WorkdaySimulator } from '../../../simulators/workday/server.ts';
import { startImportApi, type ImportApiStack } from '../../user-import/api-stack.ts';
import { usersOf } from '../../user-import/helpers.ts';

// The spec's Workday "Points to note": UUID, e-mail and name unique across the Workday connections of an
// account (the second connection's records are rejected, naming the record and the first connection), and the
// UUID Workday set cannot be cleared or changed by an admin.

let emea: WorkdaySimulator;
let apac: WorkdaySimulator;
let stack: ImportApiStack;
let emeaId: number;
let apacId: number;
// E-mail, name, manager by Workday id and department (no profile fields).
const MAPPING = { ...WORKDAY_MAPPING, profile: {} };

async function connect(sim: WorkdaySimulator, name: string): Promise<number> {
  const c = await stack.admin.post('/api/v1/connections', { connectorId: 'workday', name, settings: simSettings(sim) });
  expect(c.statusCode, c.body).toBe(201);
  expect((await stack.admin.put(`/api/v1/connections/${c.data.id}/user-import/mapping`, { mapping: MAPPING })).statusCode).toBe(200);
  expect((await stack.admin.put(`/api/v1/connections/${c.data.id}/user-import/settings`, { absentUsers: 'suspend', approvalThreshold: 1 })).statusCode).toBe(200);
  return c.data.id;
}

beforeAll(async () => {
  emea = await startWorkdaySimulator({ workers: 30, contingentEvery: 0, terminatedEvery: 0 });
  // Another tenant: other ids (from 60001), other addresses, names of its own.
  apac = await startWorkdaySimulator({ workers: 10, contingentEvery: 0, terminatedEvery: 0, seed: 7, firstId: 60000, domain: 'apac.example' });
  apac.store.list.forEach((w, i) => apac.store.update(w.workerId, { firstName: 'Apac', lastName: `Person ${i}` }));
  stack = await startImportApi();
  emeaId = await connect(emea, 'Workday EMEA');
  apacId = await connect(apac, 'Workday APAC');
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await emea?.close();
  await apac?.close();
});

const run = async (id: number) => (await stack.admin.get(`/api/v1/runs/${(await stack.runImport(id)).id}`)).data;
const errorsOf = async (runId: number) => (await stack.admin.get(`/api/v1/runs/${runId}/errors.csv`)).body as string;
const byEmail = async () => Object.fromEntries((await usersOf(stack.ctx, stack.accountId)).map((u) => [u.email, u]));

describe('Workday: points to note', () => {
  it('a worker whose UUID, e-mail or name another Workday connection imported is rejected, naming the record and that connection', async () => {
    const first = await run(emeaId);
    expect(first.status, JSON.stringify(first.log?.slice(-3))).toBe('completed');
    expect(first.counts).toMatchObject({ read: 30, created: 30 });
    // In the APAC tenant: the same person's address, the same name, and the same worker id as EMEA workers.
    const [e3, e4, e5] = [3, 4, 5].map((i) => emea.store.list[i]);
    const [a1, a2] = [apac.store.list[1], apac.store.list[2]];
    apac.store.update(a1.workerId, { email: e3.email });
    apac.store.update(a2.workerId, { firstName: e4.firstName, lastName: e4.lastName });
    apac.store.add({ ...apac.store.list[3], workerId: e5.workerId, wid: 'f'.repeat(32), email: 'someone.else@apac.example', firstName: 'Apac', lastName: 'Newcomer', managerId: apac.store.list[0].workerId });
    const second = await run(apacId);
    expect(second.status).toBe('completed_with_errors');
    expect(second.counts).toMatchObject({ read: 11, created: 8, rejected: 3 });
    const report = await errorsOf(second.id);
    // The report's lines, with CSV's doubled quotes read back.
    const line = (id: string) => (report.split('\n').find((l) => l.includes(`,${id},`)) ?? '').replace(/""/g, '"');
    expect(line(a1.workerId)).toContain(`the e-mail address "${e3.email}" belongs to a user imported through the other Workday connection "Workday EMEA"`);
    expect(line(a1.workerId)).toContain('Primary Work Email');
    expect(line(a2.workerId)).toContain(`the name "${e4.firstName} ${e4.lastName}" belongs to a user imported through the other Workday connection "Workday EMEA"`);
    expect(line(e5.workerId)).toContain(`the record id (UUID) "${e5.workerId}" belongs to a user imported through the other Workday connection "Workday EMEA"`);
    // The first connection keeps its people, unchanged.
    const users = await byEmail();
    expect(users[e3.email]).toMatchObject({ name: `${e3.firstName} ${e3.lastName}`, state: 'active' });
    expect(users['someone.else@apac.example']).toBeUndefined();
    const owners = await stack.ctx.db.selectFrom('users').select(['email', 'data_source_id']).where('account_id', '=', stack.accountId).execute();
    expect(owners.find((u) => u.email === e3.email)?.data_source_id).toBe(emeaId);
    expect(owners.filter((u) => u.data_source_id === apacId)).toHaveLength(8);
  }, 180_000);

  it("the first connection's next full read keeps every one of its users (its own records are never rejected)", async () => {
    // A full read (the incremental state forgotten): every EMEA worker is read again.
    expect((await stack.admin.delete(`/api/v1/connections/${emeaId}/actions/import-users/state`)).statusCode).toBeLessThan(300);
    const again = await run(emeaId);
    expect(again.status).toBe('completed');
    expect(again.counts).toMatchObject({ read: 30, rejected: 0, suspended: 0 });
  }, 120_000);

  it("each imported user carries the worker id as UUID, which an admin can neither clear nor change", async () => {
    const w = emea.store.list[6];
    const u = (await stack.admin.get(`/api/v1/users/${encodeURIComponent(w.email)}`)).data;
    expect(u.externalIds).toMatchObject({ hr_uuid: w.workerId });
    for (const hr_uuid of [null, '', 'another-uuid']) {
      const r = await stack.admin.patch(`/api/v1/users/${u.id}`, { externalIds: { hr_uuid } });
      expect(r.statusCode, JSON.stringify(hr_uuid)).toBe(400);
      expect(r.data.error).toMatchObject({ code: 'LMC_ERR_USER_HR_UUID_LOCKED', field: 'externalIds.hr_uuid' });
      expect(r.data.error.message).toContain(`${w.email} has the UUID "${w.workerId}"`);
    }
    // Other ids stay editable, and the same UUID may be sent back as it is.
    const ok = await stack.admin.patch(`/api/v1/users/${u.id}`, { externalIds: { badge: 'B-7', hr_uuid: w.workerId } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.data.externalIds).toEqual({ hr_uuid: w.workerId, badge: 'B-7' });
  }, 60_000);

  it('the user CSV import cannot clear it: its mapping has no UUID column, and importing the user keeps the UUID', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-workday-uuid-'));
    try {
      const drop = await stack.admin.post('/api/v1/connections', { connectorId: 'local-directory', name: 'HR drop', settings: { root: dir } });
      expect(drop.statusCode, drop.body).toBe(201);
      const map = (mapping: Record<string, unknown>) => stack.admin.put(`/api/v1/connections/${drop.data.id}/user-import/mapping`, { mapping });
      const refused = await map({ email: 'Email', name: 'Name', manager: 'Manager', hrUuid: 'UUID' });
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain('hrUuid');
      expect((await map({ email: 'Email', name: 'Name', manager: 'Manager', fields: { Department: 'Dept' } })).statusCode).toBe(200);
      const w = emea.store.list[8];
      await fs.mkdir(path.join(dir, 'import/user/internal'), { recursive: true });
      await fs.writeFile(path.join(dir, 'import/user/internal/users.csv'), `Email,Name,Manager,Dept,UUID\n${w.email},Renamed In Csv,,Sales,\n`);
      const r = await stack.runImport(drop.data.id);
      expect(r.status).toBe('completed');
      const u = (await stack.admin.get(`/api/v1/users/${encodeURIComponent(w.email)}`)).data;
      expect(u).toMatchObject({ name: 'Renamed In Csv', externalIds: { hr_uuid: w.workerId } });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
