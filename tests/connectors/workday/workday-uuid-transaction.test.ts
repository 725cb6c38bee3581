import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForStatus } from '../../engine/helpers.ts';
import { simSettings, useWorkdayEngineEnv, WORKDAY_MAPPING } from './workday-fixture.ts';
useWorkdayEngineEnv();
import { startWorkdaySimulator, type WorkdaySimulator } from '../../../simulators/workday/server.ts';
import { startImportApi, type ImportApiStack } from '../../user-import/api-stack.ts';

// The Workday worker id becomes the user's UUID (externalIds.hr_uuid) inside the import's one transaction:
// every user the run reads gets it where it differs, unchanged users too (those imported before the UUID was
// kept get it on the next run), it is committed with the run's other changes, and a run that fails leaves
// neither. The run is held at a row lock the test takes on an unchanged user (the UUID write must wait for it),
// then let go (committed) or cancelled by the database (pg_cancel_backend: the statement fails, the transaction
// rolls back), as a crash would.

let sim: WorkdaySimulator;
let stack: ImportApiStack;
let connectionId: number;
// E-mail, name, manager by Workday id and department (no profile fields).
const MAPPING = { ...WORKDAY_MAPPING, profile: {} };

beforeAll(async () => {
  sim = await startWorkdaySimulator({ workers: 12, contingentEvery: 0, terminatedEvery: 0 });
  stack = await startImportApi();
  const c = await stack.admin.post('/api/v1/connections', { connectorId: 'workday', name: 'Workday', settings: simSettings(sim) });
  expect(c.statusCode, c.body).toBe(201);
  connectionId = c.data.id;
  expect((await stack.admin.put(`/api/v1/connections/${connectionId}/user-import/mapping`, { mapping: MAPPING })).statusCode).toBe(200);
  expect((await stack.admin.put(`/api/v1/connections/${connectionId}/user-import/settings`, { absentUsers: 'suspend', approvalThreshold: 1 })).statusCode).toBe(200);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await sim?.close();
});

const userOf = (email: string) =>
  stack.ctx.db.selectFrom('users').select(['id', 'name', 'external_ids', 'updated_at']).where('account_id', '=', stack.accountId).where('email', '=', email).executeTakeFirstOrThrow();

/** A user imported before the UUID was kept: no hr_uuid (written past the admin API, which refuses to clear it). */
async function forgetUuid(email: string): Promise<void> {
  await stack.ctx.db.updateTable('users').set({ external_ids: JSON.stringify({}) as never }).where('account_id', '=', stack.accountId).where('email', '=', email).execute();
}

/** The next run reads every worker again (a full read: the unchanged ones too). */
async function forgetCursor(): Promise<void> {
  expect((await stack.admin.delete(`/api/v1/connections/${connectionId}/actions/import-users/state`)).statusCode).toBeLessThan(300);
}

/** Another session holding the row lock of a user until released (what the import's UUID write must wait for). */
async function lockUser(userId: number): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: stack.ctx.dbUrl });
  await client.connect();
  await client.query('begin');
  await client.query('select 1 from users where id = $1 for no key update', [userId]);
  return {
    async release() {
      await client.query('rollback');
      await client.end();
    },
  };
}

/** The import's session once it waits for a row lock (its transaction still open), or a failure after a minute. */
async function importWaitingForLock(): Promise<number> {
  const c = new pg.Client({ connectionString: stack.ctx.dbUrl });
  await c.connect();
  try {
    for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((res) => setTimeout(res, 200))) {
      const r = await c.query<{ pid: number }>(`select pid from pg_stat_activity where application_name = 'lmc-user-import' and wait_event_type = 'Lock' and state = 'active'`);
      if (r.rows.length) return r.rows[0].pid;
    }
  } finally {
    await c.end();
  }
  throw new Error('the import never waited for the locked user: it does not write the UUID of an unchanged user in its transaction');
}

async function startRun(): Promise<number> {
  const r = await stack.admin.post('/api/v1/runs', { connectionId, actionId: 'import-users' });
  expect(r.statusCode, r.body).toBe(202);
  return r.data.id;
}

describe('Workday: the worker id as UUID, in the import transaction', () => {
  it('the first run gives every created user its worker id as UUID', async () => {
    const first = await stack.runImport(connectionId);
    expect(first.status).toBe('completed');
    expect(first.counts).toMatchObject({ read: 12, created: 12 });
    for (const w of sim.store.list) expect((await userOf(w.email)).external_ids).toMatchObject({ hr_uuid: w.workerId });
  }, 120_000);

  it('an unchanged user without UUID gets it in the run, committed together with the run’s other changes', async () => {
    const [older, renamed] = [sim.store.list[2], sim.store.list[5]];
    await forgetUuid(older.email);
    sim.store.update(renamed.workerId, { firstName: 'Renamed', lastName: 'Once' });
    await forgetCursor();
    const lock = await lockUser((await userOf(older.email)).id);
    let released = false;
    try {
      const runId = await startRun();
      await importWaitingForLock();
      // The import is inside its transaction, past the users' changes: nothing of it is visible yet.
      expect((await userOf(renamed.email)).name).not.toBe('Renamed Once');
      expect((await userOf(older.email)).external_ids).toEqual({});
      await lock.release();
      released = true;
      const run = await waitForStatus(stack.ctx, stack.accountId, runId, ['completed', 'completed_with_errors', 'failed']);
      expect(run.status).toBe('completed');
      // The older user's record did not change: the UUID is the only change it got.
      expect(run.counts).toMatchObject({ read: 12, updated: 1, unchanged: 11 });
      expect((await userOf(renamed.email)).name).toBe('Renamed Once');
      expect((await userOf(older.email)).external_ids).toEqual({ hr_uuid: older.workerId });
      const log = (await stack.admin.get(`/api/v1/runs/${runId}`)).data.log;
      expect(JSON.stringify(log)).toContain('1 user got their record id as their UUID');
    } finally {
      if (!released) await lock.release();
    }
  }, 180_000);

  it('a run that fails in its transaction leaves neither its changes nor the UUIDs; the next run writes both', async () => {
    const [older, renamed] = [sim.store.list[3], sim.store.list[7]];
    await forgetUuid(older.email);
    sim.store.update(renamed.workerId, { firstName: 'Renamed', lastName: 'Twice' });
    await forgetCursor();
    const lock = await lockUser((await userOf(older.email)).id);
    try {
      const runId = await startRun();
      const pid = await importWaitingForLock();
      // The database cancels the import's statement (as an operator would): the transaction rolls back.
      const c = new pg.Client({ connectionString: stack.ctx.dbUrl });
      await c.connect();
      await c.query('select pg_cancel_backend($1)', [pid]);
      await c.end();
      const run = await waitForStatus(stack.ctx, stack.accountId, runId, ['completed', 'completed_with_errors', 'failed']);
      expect(run.status).toBe('failed');
    } finally {
      await lock.release();
    }
    expect((await userOf(renamed.email)).name).not.toBe('Renamed Twice');
    expect((await userOf(older.email)).external_ids).toEqual({});
    // The cursor was not kept (a failed run): the next run reads every worker again and writes both.
    const next = await stack.runImport(connectionId);
    expect(next.status).toBe('completed');
    expect((await userOf(renamed.email)).name).toBe('Renamed Twice');
    expect((await userOf(older.email)).external_ids).toEqual({ hr_uuid: older.workerId });
  }, 180_000);

  it('a dry run writes no UUID; its change set shows those it would set, for a new user and an unchanged one', async () => {
    const older = sim.store.list[9];
    await forgetUuid(older.email);
    const hired = sim.store.add({ ...sim.store.list[10], workerId: '99001', wid: 'e'.repeat(32), email: 'new.hire@acme.example', firstName: 'New', lastName: 'Hire', managerId: sim.store.list[0].workerId });
    await forgetCursor();
    const dry = await stack.runImport(connectionId, { dryRun: true });
    expect(dry.status).toBe('completed');
    expect(dry.counts).toMatchObject({ read: 13, created: 1, unchanged: 12 });
    expect((await userOf(older.email)).external_ids).toEqual({});
    const lines = ((await stack.admin.get(`/api/v1/runs/${dry.id}/files/change-set.csv`)).body as string).trim().split('\n');
    expect(lines[0]).toBe('action,email,field,old_value,new_value');
    expect(lines.filter((l) => l.includes('external_ids.hr_uuid'))).toEqual([`create,${hired.email},external_ids.hr_uuid,,${hired.workerId}`, `update,${older.email},external_ids.hr_uuid,,${older.workerId}`]);
    // The unchanged user's UUID is its only line; the new user has a line per value it gets.
    expect(lines.filter((l) => l.includes(older.email))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith(`create,${hired.email},`)).map((l) => l.split(',')[2])).toEqual(expect.arrayContaining(['name', 'email', 'manager', 'external_ids.hr_uuid']));
  }, 120_000);
});
