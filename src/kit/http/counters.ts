/** What one client did, for the run log (read `client.counters` at the end of a run). */
export interface HttpCounters {
  /** Attempts sent (first tries and retries). */
  calls: number;
  /** Attempts that were retries. */
  retries: number;
  /** Milliseconds spent waiting before retries (backoff and Retry-After). */
  waitMs: number;
  /** Answers that said "slow down" (429, or a classifier's 'rate-limited'). */
  throttled: number;
  /** Credential refreshes after a 401 or an 'auth-expired' verdict. */
  authRefreshes: number;
  /** Requests that ended in an error. */
  failures: number;
}

export const newCounters = (): HttpCounters => ({ calls: 0, retries: 0, waitMs: 0, throttled: 0, authRefreshes: 0, failures: 0 });
