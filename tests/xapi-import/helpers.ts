import fs from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import { engineTimings } from '../../src/engine/engine-config.ts';
import { executeRun } from '../../src/engine/executor.ts';
import { getRun, type RunView } from '../../src/engine/runs.ts';
import { createResetToken, resetHostedPassword } from '../../src/kit/file-sources/hosted-drop.ts';
import { startSftpServer, type RunningSftpServer } from '../../src/sftp-server/server.ts';
import { apiClient } from '../helpers/api.ts';
import { startLrs, type LrsHarness } from '../lrs/lrs-server.ts';

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

/** The LRS harness with the hosted SFTP server (Learning Manager FTP) beside it, and the account of its key. */
export interface LrsWithHostedSftp {
  h: LrsHarness;
  sftp: RunningSftpServer;
  accountId: number;
  slug: string;
  /** Stops the SFTP server and the harness, and removes the data directory. */
  stop(): Promise<void>;
}

export async function startLrsWithHostedSftp(): Promise<LrsWithHostedSftp> {
  const h = await startLrs();
  const a = await lrsAccount(h);
  const sftp = await startSftpServer({ db: h.ctx.db, dataDir: h.ctx.config.dataDir, log: h.ctx.log, host: '127.0.0.1', port: 0 });
  return {
    h,
    sftp,
    accountId: a.id,
    slug: a.slug,
    async stop() {
      await sftp.stop();
      await h.close();
      await fs.rm(h.ctx.config.dataDir, { recursive: true, force: true });
    },
  };
}

/** Connects the FTP connector through the API and sets the account's SFTP password; returns the connection id. */
export async function connectHostedFtp(h: LrsHarness, accountId: number, password: string): Promise<number> {
  const conn = await apiClient(h.app, h.token).post('/api/v1/connections', { connectorId: 'ftp', name: 'Learning Manager FTP', settings: { email: 'ops@acme.test' } });
  expect(conn.statusCode, conn.body).toBe(201);
  const { token } = await createResetToken(h.ctx.db, accountId);
  await resetHostedPassword(h.ctx.db, token, password);
  return conn.data.id as number;
}
