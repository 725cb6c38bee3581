/**
 * Limits of the hosted SFTP service's logins, from the environment (README, "Configuration"). They stop
 * password guessing (per login and per client address, with a growing wait) and connection hoarding
 * (unauthenticated connections are few per address and short-lived).
 */
export interface SftpLoginLimits {
  /** Drop a connection that has not logged in after this long (OpenSSH's LoginGraceTime, shorter). */
  graceMs: number;
  /** Connections not yet logged in that one address may hold at once (OpenSSH's MaxStartups, per address). */
  maxPendingPerAddress: number;
  /** Failed logins of one login name before each further one locks it for a growing while. */
  userFreeFailures: number;
  /** The same for one client address (higher: an office may share one address). */
  addressFreeFailures: number;
  /** The first lock; each further failure doubles it, up to backoffMaxMs. */
  backoffMs: number;
  backoffMaxMs: number;
  /** Every refusal waits at least this long (and at most failureDelayMaxMs, or the lock's end if sooner). */
  failureDelayMs: number;
  failureDelayMaxMs: number;
  /** Failures are forgotten after this long without one. */
  forgetMs: number;
}

export function sftpLoginLimits(env: NodeJS.ProcessEnv = process.env): SftpLoginLimits {
  const n = (k: string, d: number) => (env[k] !== undefined && env[k] !== '' && Number.isFinite(Number(env[k])) ? Number(env[k]) : d);
  return {
    graceMs: n('LMC_SFTP_LOGIN_GRACE_MS', 20_000),
    maxPendingPerAddress: n('LMC_SFTP_MAX_PENDING_PER_ADDRESS', 10),
    userFreeFailures: n('LMC_SFTP_USER_FREE_FAILURES', 5),
    addressFreeFailures: n('LMC_SFTP_ADDRESS_FREE_FAILURES', 20),
    backoffMs: n('LMC_SFTP_BACKOFF_MS', 2_000),
    backoffMaxMs: n('LMC_SFTP_BACKOFF_MAX_MS', 15 * 60_000),
    failureDelayMs: n('LMC_SFTP_FAILURE_DELAY_MS', 500),
    failureDelayMaxMs: 5_000,
    forgetMs: 60 * 60_000,
  };
}
