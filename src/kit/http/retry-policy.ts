/**
 * The one retry policy of the kit: which answers are worth another try and how long to wait before it.
 * Used by the HTTP client and by Box's SDK retry strategy (kit/file-sources/box.ts), so every vendor call
 * backs off the same way.
 */

export interface RetryPolicy {
  /** Retries after the first attempt (default 4). */
  retries: number;
  /** Backoff base: the cap of the first retry's random wait, doubling per retry (default 500 ms). */
  baseMs: number;
  /** Longest single wait, also for a server's Retry-After (default 30 s). */
  maxMs: number;
  /** Longest time spent waiting over all retries of one request (default 2 min). */
  budgetMs: number;
  /** Also read X-RateLimit-Reset (epoch seconds) / RateLimit-Reset (delta seconds) when Retry-After is absent. */
  resetHeaders: boolean;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 4, baseMs: 500, maxMs: 30_000, budgetMs: 120_000, resetHeaders: false };

/** 408, 429 and the 5xx that mean "not now" (the request can be sent again). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Header lookup over fetch's Headers or a plain object (whose keys fetch may have lower-cased). */
export type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined;

export function headerOf(h: HeaderSource, name: string): string | undefined {
  if (!h) return undefined;
  if (typeof (h as Headers).get === 'function') return (h as Headers).get(name) ?? undefined;
  const rec = h as Record<string, string | string[] | undefined>;
  const key = Object.keys(rec).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key === undefined ? undefined : rec[key];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * AWS's "full jitter" backoff: a random wait between 0 and min(maxMs, baseMs * 2^retry)
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/). Clients that fail together
 * spread out instead of retrying in waves. `retry` counts from 0 (the first retry).
 * @example fullJitterMs(2, { baseMs: 500, maxMs: 30_000 }) // somewhere in [0, 2000)
 */
export function fullJitterMs(retry: number, p: Pick<RetryPolicy, 'baseMs' | 'maxMs'>, random: () => number = Math.random): number {
  const cap = Math.min(p.maxMs, p.baseMs * 2 ** Math.max(0, retry));
  return Math.floor(random() * cap);
}

/**
 * The wait a server asked for, in ms: Retry-After as delta seconds or as an HTTP-date (RFC 9110 §10.2.3);
 * with `resetHeaders`, X-RateLimit-Reset (epoch seconds, or ms when it looks like ms) and RateLimit-Reset
 * (delta seconds, draft-ietf-httpapi-ratelimit-headers). Undefined when none is present or readable.
 */
export function serverWaitMs(headers: HeaderSource, opts: { resetHeaders?: boolean; now?: number } = {}): number | undefined {
  const now = opts.now ?? Date.now();
  const ra = headerOf(headers, 'retry-after')?.trim();
  if (ra) {
    if (/^\d+(\.\d+)?$/.test(ra)) return Math.round(Number(ra) * 1000);
    const at = Date.parse(ra);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  if (!opts.resetHeaders) return undefined;
  const delta = headerOf(headers, 'ratelimit-reset')?.trim();
  if (delta && /^\d+(\.\d+)?$/.test(delta)) return Math.round(Number(delta) * 1000);
  const epoch = headerOf(headers, 'x-ratelimit-reset')?.trim();
  if (epoch && /^\d+(\.\d+)?$/.test(epoch)) {
    const n = Number(epoch);
    // Most vendors send epoch seconds; a few send ms, and a few (e.g. GitHub's secondary limits) a delta.
    const atMs = n > 1e12 ? n : n > 1e9 ? n * 1000 : now + n * 1000;
    return Math.max(0, atMs - now);
  }
  return undefined;
}

/**
 * How long to wait before retry number `retry` (0-based): the server's wait when it gave one, else full
 * jitter; capped at maxMs either way.
 * @example retryDelayMs(0, res.headers, policy) // Retry-After: 2 → 2000
 */
export function retryDelayMs(retry: number, headers: HeaderSource, p: Pick<RetryPolicy, 'baseMs' | 'maxMs'> & { resetHeaders?: boolean }, random?: () => number): { ms: number; fromServer: boolean } {
  const server = serverWaitMs(headers, { resetHeaders: p.resetHeaders });
  if (server !== undefined) return { ms: Math.min(server, p.maxMs), fromServer: true };
  return { ms: fullJitterMs(retry, p, random), fromServer: false };
}
