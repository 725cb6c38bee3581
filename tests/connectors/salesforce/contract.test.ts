/**
 * Salesforce on the shared API connector contract (tests/kit/api-contract.ts), through the real engine against
 * the simulated org (OAuth web server flow with refresh tokens): several SOQL pages (query, queryMore), a 429
 * mid-run, an expired session renewed once, a persistent 5xx, the incremental second run (SystemModstamp) and
 * a reject named by the Salesforce record id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEngineEnv } from '../../engine/helpers.ts';
useTestEngineEnv();
// Leases are not what this file tests: a loaded machine must not interrupt a run (the fast lease is 1.5 s).
process.env.LMC_RUN_LEASE_MS = '30000';
process.env.LMC_RUN_HEARTBEAT_MS = '500';
import { apiContract } from '../../kit/api-contract.ts';
import { startSalesforceStack, type SalesforceStack } from './salesforce-stack.ts';

const MAPPING = { email: 'Email', name: 'Name', manager: 'Manager.Email', userType: null, profile: { title: 'Title' }, fields: { Department: 'Department' } };
let s: SalesforceStack;
let connectionId: number;

beforeAll(async () => {
  // 12 users, 5 a query page: three pages per full read.
  s = await startSalesforceStack({ users: 12, contacts: 0, queryPageSize: 5 });
}, 120_000);
afterAll(async () => s?.stop());

describe('Salesforce: the API connector contract', () => {
  it('connects (Connect at the org) and maps', async () => {
    connectionId = await s.connect('Org users');
    const saved = await s.admin.put(`/api/v1/connections/${connectionId}/user-import/mapping`, { mapping: MAPPING });
    expect(saved.statusCode, saved.body).toBe(200);
  });

  apiContract({
    stack: () => s,
    connectionId: () => connectionId,
    actionId: 'import-users',
    faults: () => s.sim.faults,
    readPath: '/query',
    // A reset state makes the next run a full read: the first /query request is page 1, queryMore the next.
    async prepareMultiPage() {
      expect((await s.admin.delete(`/api/v1/connections/${connectionId}/actions/import-users/state`)).statusCode).toBeLessThan(300);
      return { before: 1 };
    },
    requests: () => s.sim.log.entries.map((e) => e.path),
    // Salesforce throttles with 403 REQUEST_LIMIT_EXCEEDED, no Retry-After (the simulator answers so to a '429' fault).
    throttle: { status: 403, retryAfter: false },
    async changeSome() {
      const u = s.sim.store.all('User').filter((x) => x.IsActive)[2];
      s.sim.store.update('User', u.Id as string, { Title: 'Head of Learning' });
      return { read: 1 };
    },
    async rejectOne() {
      const id = s.sim.store.insert('User', { Username: 'broken@sf.test', Email: 'not-an-address', FirstName: 'Bro', LastName: 'Ken', IsActive: true }).Id as string;
      return { recordId: id, undo: async () => void s.sim.store.update('User', id, { IsActive: false }) };
    },
  });
});
