import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppContext } from '../../src/app-context.ts';
import type { RunView } from '../../src/engine/runs.ts';
import { getRun } from '../../src/engine/runs.ts';

export const fixturesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Fast engine timings for tests (seconds, not minutes). */
export const FAST_ENV = {
  LMC_RUN_LEASE_MS: '1500',
  LMC_RUN_HEARTBEAT_MS: '200',
  LMC_SCHEDULER_TICK_MS: '200',
  LMC_WORKER_POLL_MS: '50',
  LMC_RUN_BUSY_RETRY_MS: '200',
  LMC_WORKER_CONCURRENCY: '4',
};

/** Sets the environment the engine reads (before the registry loads). */
export function useTestEngineEnv(): void {
  process.env.LMC_EXTRA_CONNECTOR_DIRS = fixturesDir;
  Object.assign(process.env, FAST_ENV);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `fn` returns a truthy value (no timed assertion: fails only after a generous limit). */
export async function until<T>(fn: () => Promise<T | undefined | null | false>, what: string, limitMs = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > limitMs) throw new Error(`gave up waiting for ${what}`);
    await sleep(40);
  }
}

export async function waitForStatus(ctx: AppContext, accountId: number, runId: number, statuses: string[]): Promise<RunView> {
  return until(async () => {
    const r = await getRun(ctx, accountId, runId);
    return statuses.includes(r.status) ? r : undefined;
  }, `run ${runId} to be ${statuses.join('/')}`);
}

/** Spawns `node bin/lmc.js worker` on the given database. */
export function spawnWorker(dbUrl: string, env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, [path.join(root, 'bin/lmc.js'), 'worker'], {
    cwd: root,
    env: { ...process.env, ...FAST_ENV, LMC_EXTRA_CONNECTOR_DIRS: fixturesDir, DATABASE_URL: dbUrl, LMC_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', () => undefined);
  let err = '';
  child.stderr?.on('data', (d) => {
    err += String(d);
    if (process.env.LMC_TEST_LOG) process.stderr.write(d);
  });
  (child as ChildProcess & { stderrText: () => string }).stderrText = () => err;
  return child;
}
