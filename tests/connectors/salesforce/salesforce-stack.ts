import { expect } from 'vitest';
import type { Api } from '../../../src/api/types.ts';
import { engineTimings } from '../../../src/engine/engine-config.ts';
import { startWorker, type WorkerHandle } from '../../../src/engine/worker.ts';
import { createActiveField } from '../../../src/platform/fields/active-fields.ts';
import { DEFAULT_SF_APP, startSalesforceSimulator, type SalesforceSimOptions, type SalesforceSimulator } from '../../../simulators/salesforce/server.ts';
import { waitForStatus } from '../../engine/helpers.ts';
import { apiClient, buildApi, createAccountWithToken } from '../../helpers/api.ts';
import { createTestContext, type TestContext } from '../../helpers/test-context.ts';

export const PUBLIC_URL = 'https://lmc.example.test';

/** The API, a worker, an account (admin@acme.test, group-able field "Department") and a simulated org. */
export interface SalesforceStack {
  ctx: TestContext;
  app: Api;
  admin: ReturnType<typeof apiClient>;
  token: string;
  accountId: number;
  sim: SalesforceSimulator;
  /** Creates a connection to the org and signs in through Connect (the org's page, then our callback). */
  connect(name: string, importFrom?: Record<string, unknown>): Promise<number>;
  run(connectionId: number, actionId: string, more?: Record<string, unknown>): Promise<any>;
  errors(runId: number): Promise<string>;
  stop(): Promise<void>;
}

export async function startSalesforceStack(o: SalesforceSimOptions = {}): Promise<SalesforceStack> {
  const sim = await startSalesforceSimulator({ redirectUris: [`${PUBLIC_URL}/api/v1/oauth/callback`], ...o });
  const ctx = await createTestContext({ LMC_PUBLIC_URL: PUBLIC_URL, LMC_LOG_LEVEL: 'silent' });
  const app = await buildApi(ctx);
  const worker: WorkerHandle = await startWorker(ctx, { timings: engineTimings() });
  const a = await createAccountWithToken(ctx, { email: 'admin@acme.test' });
  const admin = apiClient(app, a.token);
  await createActiveField(ctx.db, a.account.id, { name: 'Department', kind: 'csv', groupable: true });
  return {
    ctx, app, admin, token: a.token, accountId: a.account.id, sim,
    async connect(name, importFrom) {
      const created = await admin.post('/api/v1/connections', { connectorId: 'salesforce', name, settings: { orgUrl: sim.url, auth: { clientId: DEFAULT_SF_APP.clientId, clientSecret: DEFAULT_SF_APP.clientSecret }, ...(importFrom ? { importFrom } : {}) } });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.data.id as number;
      const start = await admin.post(`/api/v1/connections/${id}/authorize`);
      expect(start.statusCode, start.body).toBe(200);
      const atOrg = await fetch(start.data.url, { redirect: 'manual' });
      const back = new URL(atOrg.headers.get('location')!);
      const res = await app.inject({ method: 'GET', url: back.pathname + back.search });
      expect(res.headers.location).toBe(`${PUBLIC_URL}/connections/${id}/configure?authorized=1`);
      return id;
    },
    async run(connectionId, actionId, more = {}) {
      const r = await admin.post('/api/v1/runs', { connectionId, actionId, ...more });
      expect(r.statusCode, r.body).toBe(202);
      const done = await waitForStatus(ctx, a.account.id, r.data.id, ['completed', 'completed_with_errors', 'failed', 'needs_approval', 'cancelled']);
      return (await admin.get(`/api/v1/runs/${done.id}`)).data;
    },
    async errors(runId) {
      return (await app.inject({ method: 'GET', url: `/api/v1/runs/${runId}/errors.csv`, headers: { authorization: `Bearer ${a.token}` } })).body;
    },
    async stop() {
      await worker.stop();
      await app.close();
      await ctx.destroy();
      await sim.close();
    },
  };
}
