import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { sleep } from '../kit/http/abortable.ts';
import type { LimitOptions, RateLimiter, Release } from '../kit/http/rate-limiter.ts';
import { LmcError } from '../shared/errors.ts';
import { ConnectionErrors } from './errors.ts';

export interface ConnectionLimiterOptions {
  /** How long a slot stays taken without a sign of life from its holder (default 30 s). */
  leaseMs?: number;
  /** Longest pause between two tries for a slot held elsewhere (default 200 ms; a release here wakes at once). */
  maxPollMs?: number;
}

type Db = AppContext['db'];

/** Releases in this process wake its waiters at once; other processes' releases are seen by polling. */
const released = new EventEmitter().setMaxListeners(0);

/**
 * The vendor's limits of one connection, shared by every client of it in every run and worker (all of them
 * on the same database): at most `concurrency` requests in flight together, and `ratePerSecond` sustained
 * (bursts of `burst`). It plugs into the kit's HTTP client as its `limiter` (engine/connection-http.ts).
 *
 * - Concurrency: `concurrency` slot rows; a request takes a free one (or one whose lease ran out) with one
 *   UPDATE ... FOR UPDATE SKIP LOCKED, so two processes never take the same slot. The holder renews the lease
 *   while its request lasts; a process that dies stops renewing, and its slots come back after `leaseMs`.
 * - Rate: a token bucket row refilled by the time elapsed and taken in one UPDATE (the row lock orders
 *   concurrent takers; each sees the row as the previous one left it).
 *
 * @example const limiter = connectionLimiter(ctx, connectionId, { concurrency: 4, ratePerSecond: 10 });
 *          createHttpClient({ baseUrl, limiter });
 */
export function connectionLimiter(ctx: AppContext, connectionId: number, limits: LimitOptions, o: ConnectionLimiterOptions = {}): RateLimiter {
  const slots = limits.concurrency && limits.concurrency > 0 ? Math.floor(limits.concurrency) : 0;
  const rate = limits.ratePerSecond && limits.ratePerSecond > 0 ? limits.ratePerSecond : 0;
  const burst = Math.max(1, limits.burst ?? Math.max(1, rate));
  const leaseMs = o.leaseMs ?? 30_000;
  const maxPollMs = o.maxPollMs ?? 200;
  const db: Db = ctx.db;
  const channel = `connection:${connectionId}`;
  let prepared: Promise<void> | undefined;

  /** The slot rows and the bucket row exist (created once, by whichever client comes first). */
  const prepare = () =>
    (prepared ??= (async () => {
      if (slots)
        await sql`insert into connection_limit_slots (connection_id, slot) select ${connectionId}, g from generate_series(1, ${slots}::int) g on conflict do nothing`.execute(db);
      if (rate)
        await sql`insert into connection_rate_buckets (connection_id, tokens, refilled_at) values (${connectionId}, ${burst}::float8, clock_timestamp()) on conflict do nothing`.execute(db);
    })().catch((e) => {
      prepared = undefined;
      throw e;
    }));

  const tryTakeSlot = async (holder: string): Promise<number | undefined> => {
    const r = await sql<{ slot: number }>`
      update connection_limit_slots set holder = ${holder}::uuid, expires_at = clock_timestamp() + ${leaseMs}::int * interval '1 millisecond'
      where (connection_id, slot) = (
        select connection_id, slot from connection_limit_slots
        where connection_id = ${connectionId} and slot <= ${slots}::int and (holder is null or expires_at < clock_timestamp())
        order by slot limit 1 for update skip locked)
      returning slot`.execute(db);
    return r.rows[0]?.slot;
  };

  const takeSlot = async (holder: string, signal?: AbortSignal): Promise<number> => {
    for (let pause = 5; ; pause = Math.min(maxPollMs, pause * 2)) {
      const slot = await tryTakeSlot(holder);
      if (slot !== undefined) return slot;
      await waitForRelease(pause, signal);
    }
  };

  /** Waits `ms`, or less when a client of this connection in this process releases a slot. */
  const waitForRelease = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(t);
        released.off(channel, wake);
        signal?.removeEventListener('abort', onAbort);
      };
      const wake = () => {
        cleanup();
        resolve();
      };
      const onAbort = () => {
        cleanup();
        reject(signal!.reason);
      };
      const t = setTimeout(wake, ms);
      released.once(channel, wake);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
    });

  const giveSlot = async (slot: number, holder: string) => {
    await sql`update connection_limit_slots set holder = null, expires_at = null where connection_id = ${connectionId} and slot = ${slot}::int and holder = ${holder}::uuid`.execute(db);
    released.emit(channel);
  };

  /** Takes a token when the bucket has one; else says how long until it will. */
  const tryTakeToken = async (): Promise<{ granted: boolean; waitMs: number }> => {
    // The tokens the bucket holds now: what it held, refilled for the time since (one clock reading, n.now).
    const avail = sql`least(${burst}::float8, b.tokens + ${rate}::float8 * greatest(0, extract(epoch from (n.now - b.refilled_at))::float8))`;
    const r = await sql<{ granted: boolean; tokens: number }>`
      update connection_rate_buckets b
      set tokens = ${avail} - case when ${avail} >= 1 then 1 else 0 end, granted = ${avail} >= 1, refilled_at = greatest(b.refilled_at, n.now)
      from (select clock_timestamp() as now) n
      where b.connection_id = ${connectionId}
      returning b.granted, b.tokens`.execute(db);
    const row = r.rows[0];
    if (!row) throw new Error(`no rate bucket for connection ${connectionId}`);
    return { granted: row.granted, waitMs: row.granted ? 0 : Math.max(5, Math.ceil(((1 - row.tokens) / rate) * 1000)) };
  };

  const takeToken = async (signal?: AbortSignal) => {
    for (;;) {
      const t = await tryTakeToken();
      if (t.granted) return;
      await sleep(t.waitMs, signal);
    }
  };

  /** Waits for a slot, then for a token; the slot's lease is renewed until release. */
  const admit = async (signal?: AbortSignal): Promise<Release> => {
    await prepare();
    const holder = crypto.randomUUID();
    const slot = slots ? await takeSlot(holder, signal) : undefined;
    // The lease is renewed while the request lasts (a long download keeps its slot).
    const renew =
      slot === undefined
        ? undefined
        : setInterval(() => {
            sql`update connection_limit_slots set expires_at = clock_timestamp() + ${leaseMs}::int * interval '1 millisecond' where connection_id = ${connectionId} and slot = ${slot}::int and holder = ${holder}::uuid`
              .execute(db)
              .catch((e) => ctx.log.warn({ err: e, connectionId }, 'could not renew a connection limit lease'));
          }, Math.max(50, Math.floor(leaseMs / 3))).unref();
    let done = false;
    const release: Release = () => {
      if (done || slot === undefined) return;
      done = true;
      clearInterval(renew);
      // Not awaited by the client: a slot that cannot be given back comes back when its lease runs out.
      giveSlot(slot, holder).catch((e) => ctx.log.warn({ err: e, connectionId }, 'could not release a connection limit slot'));
    };
    try {
      if (rate) await takeToken(signal);
    } catch (e) {
      release();
      throw e;
    }
    return release;
  };

  return {
    async acquire(signal) {
      if (!slots && !rate) return () => undefined;
      try {
        return await admit(signal);
      } catch (e) {
        if (signal?.aborted || e instanceof LmcError) throw e;
        throw ConnectionErrors.LIMITER_UNAVAILABLE.create({ detail: `connection ${connectionId}: ${(e as Error)?.message ?? String(e)}`, cause: e });
      }
    },
  };
}
