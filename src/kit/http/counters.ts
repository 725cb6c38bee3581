/** What one client did, for the run log (read `client.counters` at the end of a run). */
export interface HttpCounters {
  /** Attempts sent (first tries and retries). */
  calls: number;
  /** Attempts that were retries. */
  retries: number;
  /** Milliseconds spent waiting before retries (backoff and Retry-After). */
  waitMs: number;
  /** Milliseconds spent waiting for the client's own limiter (concurrency slot or rate token). */
  limitWaitMs: number;
  /** Answers that said "slow down" (429, or a classifier's 'rate-limited'). */
  throttled: number;
  /** Credential refreshes after a 401 or an 'auth-expired' verdict. */
  authRefreshes: number;
  /** Requests that ended in an error. */
  failures: number;
}

export const newCounters = (): HttpCounters => ({ calls: 0, retries: 0, waitMs: 0, limitWaitMs: 0, throttled: 0, authRefreshes: 0, failures: 0 });

/** One retry, as the run log may show it (the URL is redacted). */
export interface RetryEvent {
  method: string;
  url: string;
  /** The answer's status, or undefined after a network error. */
  httpStatus?: number;
  /** The vendor's code, or the network error's (ECONNRESET, TIMEOUT...). */
  code?: string;
  /** The attempt that failed (1 = the first). */
  attempt: number;
  waitMs: number;
  /** True when the wait is the server's (Retry-After, reset header, classifier). */
  fromServer: boolean;
}
