/**
 * miniOrange on the shared API connector contract (tests/kit/api-contract.ts), through the real engine against
 * the SCIM simulator: several pages, a 429 mid-run, a static bearer token the vendor stops accepting (nothing
 * to renew: the run fails at once, a pasted new token works), a persistent 5xx, the incremental second run
 * (meta.lastModified) and a reject named by the miniOrange id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEngineEnv } from '../../engine/helpers.ts';
useTestEngineEnv();
// Leases are not what this file tests: a loaded machine must not interrupt a run (the fast lease is 1.5 s).
process.env.LMC_RUN_LEASE_MS = '30000';
process.env.LMC_RUN_HEARTBEAT_MS = '500';
import { startImportApi, type ImportApiStack } from '../../user-import/api-stack.ts';
import { apiContract } from '../../kit/api-contract.ts';
import { startMiniOrangeSimulator, type MiniOrangeSimulator } from '../../../simulators/miniorange/server.ts';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const MAPPING = {
  email: 'emails[primary].value', name: 'name.formatted', manager: 'lmc:manager-by-id', userType: null,
  profile: { title: 'title' }, fields: { Department: `${ENT}:department` },
};

let stack: ImportApiStack;
let sim: MiniOrangeSimulator;
let connectionId: number;
const settings = () => ({ scimBaseUrl: sim.scimBaseUrl, auth: { token: sim.token } });

beforeAll(async () => {
  // 60 users in pages of 25: three pages per full read.
  sim = await startMiniOrangeSimulator({ users: 60, maxResults: 25, inactiveEvery: 0 });
  stack = await startImportApi();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await sim?.close();
});

describe('miniOrange: the API connector contract', () => {
  it('connects and maps', async () => {
    const c = await stack.admin.post('/api/v1/connections', { connectorId: 'miniorange', name: 'miniOrange', settings: settings() });
    expect(c.statusCode, c.body).toBe(201);
    connectionId = c.data.id;
    const put = await stack.admin.put(`/api/v1/connections/${connectionId}/actions/import-users/settings`, { options: { mapping: MAPPING } });
    expect(put.statusCode, put.body).toBe(200);
  });

  apiContract({
    stack: () => stack,
    connectionId: () => connectionId,
    actionId: 'import-users',
    faults: () => sim.faults,
    readPath: '/Users',
    // A reset state makes the next run a full read; its first /Users request is page 1. The users were last
    // changed over the past hours, three minutes apart (the simulator stamps them all when it starts): the
    // incremental read after this full one re-reads the two minutes before the newest change it saw
    // (OVERLAP_MS), which then hold one user.
    async prepareMultiPage() {
      sim.store.all().forEach((u, i) => sim.store.update(u.id, () => undefined, new Date(Date.now() - 3_600_000 - i * 180_000)));
      expect((await stack.admin.delete(`/api/v1/connections/${connectionId}/actions/import-users/state`)).statusCode).toBeLessThan(300);
      return { before: 1 };
    },
    requests: () => sim.log.entries.map((e) => e.path),
    credentials: {
      kind: 'static-token',
      // The admin pastes the token miniOrange now accepts (the simulator regenerated it).
      async restore() {
        const r = await stack.admin.patch(`/api/v1/connections/${connectionId}`, { settings: settings() });
        expect(r.statusCode, r.body).toBe(200);
      },
    },
    async changeSome() {
      const [a, b] = sim.store.all().slice(10, 12);
      sim.store.update(a.id, (u) => (u.title = 'Principal'));
      sim.store.update(b.id, (u) => (u.title = 'Staff'));
      // The two changed users, and the one changed last before the full read (the overlap).
      return { read: 3 };
    },
    async rejectOne() {
      const bad = sim.store.add({ emails: [{ value: 'not-an-address', type: 'work', primary: true }] }, sim.store.all()[0].id);
      return { recordId: bad.id, undo: async () => void sim.store.delete(bad.id) };
    },
  });
});
