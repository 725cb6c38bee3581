/**
 * Workday on the shared API connector contract (tests/kit/api-contract.ts), through the real engine against
 * the SOAP simulator: several Get_Workers pages, a 429 mid-run, credentials refused on a request (WS-Security
 * UsernameToken is sent with every request: nothing to renew, the run fails at once), a persistent 5xx, the
 * incremental second run (Transaction_Log) and a reject named by the Workday worker id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkdaySimulator } from '../../../simulators/workday/server.ts';
import { WorkdayErrors } from '../../../src/connectors/workday/errors.ts';
import { apiContract } from '../../kit/api-contract.ts';
import type { ImportApiStack } from '../../user-import/api-stack.ts';
import { simSettings, startWorkdayStack, useWorkdayEngineEnv, WORKDAY_MAPPING } from './workday-fixture.ts';
useWorkdayEngineEnv();

let sim: WorkdaySimulator;
let stack: ImportApiStack;
let stop: (() => Promise<void>) | undefined;
let connectionId: number;
const settings = () => simSettings(sim);
const MAPPING = WORKDAY_MAPPING;

beforeAll(async () => {
  // 150 workers: two pages of 100.
  ({ sim, stack, stop } = await startWorkdayStack({ workers: 150 }));
}, 120_000);
afterAll(async () => {
  await stop?.();
});

describe('Workday: the API connector contract', () => {
  it('connects and maps', async () => {
    const ok = await stack.admin.post('/api/v1/connections', { connectorId: 'workday', name: 'Workday', settings: settings() });
    expect(ok.statusCode, ok.body).toBe(201);
    connectionId = ok.data.id;
    expect((await stack.admin.put(`/api/v1/connections/${connectionId}/user-import/mapping`, { mapping: MAPPING })).statusCode).toBe(200);
  }, 60_000);

  apiContract({
    stack: () => stack,
    connectionId: () => connectionId,
    actionId: 'import-users',
    faults: () => sim.faults,
    readPath: '/Human_Resources/',
    // A reset state makes the next run a full read; its first Human_Resources request is page 1.
    async prepareMultiPage() {
      expect((await stack.admin.delete(`/api/v1/connections/${connectionId}/actions/import-users/state`)).statusCode).toBeLessThan(300);
      return { before: 1 };
    },
    requests: () => sim.log.entries.map((e) => e.path),
    credentials: { kind: 'per-request', refusedCode: WorkdayErrors.AUTHENTICATION.code },
    async changeSome() {
      const w = sim.store.list[6];
      sim.store.update(w.workerId, { businessTitle: 'Principal Engineer' });
      return { read: 1 };
    },
    async rejectOne() {
      const w = sim.store.list[8];
      const email = w.email;
      sim.store.update(w.workerId, { email: 'not-an-address' });
      return { recordId: w.workerId, undo: async () => void sim.store.update(w.workerId, { email }) };
    },
  });
});
