import { sleep } from './abortable.ts';

/** Gives back the slot taken by `acquire` (call it once, when the response is fully read). */
export type Release = () => void;

/**
 * Admits one request: waits for a concurrency slot and a rate token. The HTTP client calls it before each
 * attempt and releases after the body was read (not while it sleeps between retries).
 *
 * This is where a limiter shared by every run and worker of one connection plugs in (the engine's
 * PostgreSQL-backed one, engine/connection-limiter.ts): pass it as `createHttpClient({ limiter })`;
 * `createLocalLimiter` below only limits the one client instance.
 */
export interface RateLimiter {
  acquire(signal?: AbortSignal): Promise<Release>;
}

export interface LimitOptions {
  /** Requests in flight at once (default unlimited). */
  concurrency?: number;
  /** Sustained requests per second (default unlimited). */
  ratePerSecond?: number;
  /** Requests that may start at once after a quiet spell (default max(1, ratePerSecond)). */
  burst?: number;
}

/**
 * A semaphore plus a token bucket in memory, for one client instance.
 * @example const limiter = createLocalLimiter({ concurrency: 4, ratePerSecond: 10, burst: 20 });
 */
export function createLocalLimiter(o: LimitOptions = {}, now: () => number = Date.now): RateLimiter {
  const max = o.concurrency && o.concurrency > 0 ? o.concurrency : Infinity;
  const rate = o.ratePerSecond && o.ratePerSecond > 0 ? o.ratePerSecond : Infinity;
  const burst = Math.max(1, o.burst ?? (Number.isFinite(rate) ? Math.max(1, rate) : 1));
  let inFlight = 0;
  const waiting: Array<() => void> = [];
  let tokens = burst;
  let last = now();

  const takeSlot = (signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      if (inFlight < max) {
        inFlight++;
        return resolve();
      }
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        inFlight++;
        resolve();
      };
      const onAbort = () => {
        const i = waiting.indexOf(wake);
        if (i >= 0) waiting.splice(i, 1);
        reject(signal!.reason);
      };
      waiting.push(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });

  const giveSlot = () => {
    inFlight--;
    const next = waiting.shift();
    if (next) next();
  };

  /** Waits until a token is in the bucket and takes it (tokens refill continuously at `rate`). */
  const takeToken = async (signal?: AbortSignal) => {
    if (!Number.isFinite(rate)) return;
    for (;;) {
      const t = now();
      tokens = Math.min(burst, tokens + ((t - last) / 1000) * rate);
      last = t;
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - tokens) / rate) * 1000), signal);
    }
  };

  return {
    async acquire(signal) {
      await takeSlot(signal);
      try {
        await takeToken(signal);
      } catch (e) {
        giveSlot();
        throw e;
      }
      let done = false;
      return () => {
        if (done) return;
        done = true;
        giveSlot();
      };
    },
  };
}
