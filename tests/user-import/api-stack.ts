import { expect } from 'vitest';
import type { Api } from '../../src/api/types.ts';
import { engineTimings } from '../../src/engine/engine-config.ts';
import { startWorker } from '../../src/engine/worker.ts';
import { createActiveField } from '../../src/platform/fields/active-fields.ts';
import { waitForStatus } from '../engine/helpers.ts';
import { apiClient, buildApi, createAccountWithToken } from '../helpers/api.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';

export interface ImportApiStack {
  ctx: TestContext;
  app: Api;
  /** API client of the account's admin (admin@acme.test) */
  admin: ReturnType<typeof apiClient>;
  accountId: number;
  /** Starts "Import Internal Users" on the connection through the API and waits for the run to end. */
  runImport(connectionId: number, more?: Record<string, unknown>): ReturnType<typeof waitForStatus>;
  stop(): Promise<void>;
}

/**
 * What the end-to-end import tests drive: a fresh database, the API and a worker, an account with its admin
 * and the group-able csv active field "Department" that their mapping fills. (Call useTestEngineEnv() in the
 * test file first.)
 */
export async function startImportApi(): Promise<ImportApiStack> {
  const ctx = await createTestContext({ LMC_LOG_LEVEL: 'silent' });
  const app = await buildApi(ctx);
  const worker = await startWorker(ctx, { timings: engineTimings() });
  const a = await createAccountWithToken(ctx, { email: 'admin@acme.test' });
  const admin = apiClient(app, a.token);
  const accountId = a.account.id;
  await createActiveField(ctx.db, accountId, { name: 'Department', kind: 'csv', groupable: true });
  return {
    ctx,
    app,
    admin,
    accountId,
    async runImport(connectionId, more = {}) {
      const r = await admin.post('/api/v1/runs', { connectionId, actionId: 'import-users', ...more });
      expect(r.statusCode, r.body).toBe(202);
      return waitForStatus(ctx, accountId, r.data.id, ['completed', 'completed_with_errors', 'failed', 'needs_approval', 'cancelled']);
    },
    async stop() {
      await worker.stop();
      await app.close();
      await ctx.destroy();
    },
  };
}
