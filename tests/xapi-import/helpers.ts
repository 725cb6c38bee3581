import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import { engineTimings } from '../../src/engine/engine-config.ts';
import { executeRun } from '../../src/engine/executor.ts';
import { getRun, type RunView } from '../../src/engine/runs.ts';
import { apiClient } from '../helpers/api.ts';
import type { LrsHarness } from '../lrs/lrs-server.ts';

// Shared by the xAPI import and export tests that drive a file-drop connection through the API.

/** The account (id, slug) of the harness's LRS key. */
export async function lrsAccount(h: LrsHarness): Promise<{ id: number; slug: string }> {
  return h.ctx.db
    .selectFrom('lrs_credentials')
    .innerJoin('accounts', 'accounts.id', 'lrs_credentials.account_id')
    .select(['accounts.id', 'accounts.slug'])
    .where('key', '=', h.key)
    .executeTakeFirstOrThrow();
}

/**
 * Starts a run through the API (POST /api/v1/runs) and executes it as a worker does (executeRun, the
 * worker's entry point), then returns the finished run.
 */
export async function runThroughApi(h: LrsHarness, accountId: number, body: { connectionId: number; actionId: string; [k: string]: unknown }): Promise<RunView> {
  return startAndExecute(h, accountId, '/api/v1/runs', body);
}

/** Re-runs a run through the API (POST /api/v1/runs/{id}/rerun: the same window) and executes it as a worker does. */
export async function rerunThroughApi(h: LrsHarness, accountId: number, runId: number): Promise<RunView> {
  return startAndExecute(h, accountId, `/api/v1/runs/${runId}/rerun`);
}

async function startAndExecute(h: LrsHarness, accountId: number, url: string, body?: unknown): Promise<RunView> {
  const started = await apiClient(h.app, h.token).post(url, body);
  expect(started.statusCode, started.body).toBe(202);
  await executeRun(h.ctx, started.data.id, { workerId: 'test', timings: engineTimings() });
  return getRun(h.ctx, accountId, started.data.id);
}

/** The rows of a run's error report, fetched over the API. */
export async function errorReportOf(h: LrsHarness, runId: number): Promise<Array<{ source: string; line: string; record_id: string; field: string; reason: string }>> {
  const res = await apiClient(h.app, h.token).get(`/api/v1/runs/${runId}/errors.csv`);
  expect(res.statusCode, res.body).toBe(200);
  return parse(res.body, { columns: true });
}
