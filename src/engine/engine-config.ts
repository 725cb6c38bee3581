/**
 * Timings of the engine, from the environment so tests run in seconds and production stays gentle on
 * the database. Lease: how long a run stays "running" without a heartbeat before it is declared
 * interrupted (and maintenance lifted).
 */
export interface EngineTimings {
  leaseMs: number;
  heartbeatMs: number;
  /** Scheduler tick: due schedules, expired leases. */
  tickMs: number;
  /** Worker poll when the queue is empty. */
  pollMs: number;
  /** How long a run waits before retrying when the same action is still running. */
  busyRetryMs: number;
  /** Runs a worker process executes at once. */
  concurrency: number;
}

export function engineTimings(env: NodeJS.ProcessEnv = process.env): EngineTimings {
  const n = (k: string, d: number) => (env[k] !== undefined && env[k] !== '' ? Number(env[k]) : d);
  const leaseMs = n('LMC_RUN_LEASE_MS', 60_000);
  return {
    leaseMs,
    heartbeatMs: n('LMC_RUN_HEARTBEAT_MS', Math.max(100, Math.floor(leaseMs / 4))),
    tickMs: n('LMC_SCHEDULER_TICK_MS', 5_000),
    pollMs: n('LMC_WORKER_POLL_MS', 500),
    busyRetryMs: n('LMC_RUN_BUSY_RETRY_MS', 5_000),
    concurrency: n('LMC_WORKER_CONCURRENCY', 4),
  };
}
