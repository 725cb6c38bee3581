import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { SignInLimits } from '../config.ts';
import { AuthErrors } from './errors.ts';

/**
 * Throttling of password checks (sign-in, changing one's own password), per user (the email, whatever the
 * account) and per client address. The counts live in PostgreSQL (table sign_in_throttle) so that several API
 * servers of one installation share them: an attacker gains nothing by spreading attempts over servers, and a
 * restart forgets nothing.
 *
 * An attempt is counted as a failure *before* the password is checked (reserve) and taken back when it was
 * right (settle): a burst of parallel attempts cannot slip through between check and count. When a key reaches
 * its limit it is locked for `lockoutSeconds`; each further failure doubles that, up to `maxLockoutSeconds`.
 * Failures are forgotten `failureWindowSeconds` after the last one. A locked key answers 429 with
 * Retry-After, for unknown emails as for known ones (the answer never tells whether an email exists).
 *
 * @example
 *   const keys = throttleKeys(email, req.ip);
 *   await reserveAttempt(db, limits, keys);          // throws LMC_ERR_AUTH_THROTTLED when locked
 *   const ok = await checkPassword();
 *   await settleAttempt(db, limits, keys, ok);
 */
export interface ThrottleKey {
  key: string;
  max: number;
}

export function throttleKeys(limits: SignInLimits, email: string, address: string): ThrottleKey[] {
  // Sorted, so that two attempts lock the rows in one order (no deadlock).
  return [
    { key: `address:${address}`, max: limits.maxFailuresPerAddress },
    { key: `user:${email.trim().toLowerCase()}`, max: limits.maxFailuresPerUser },
  ].sort((a, b) => a.key.localeCompare(b.key));
}

/** The lock after `failures` failures (none below the limit): doubles from lockoutSeconds, capped. */
export function lockSeconds(limits: SignInLimits, failures: number, max: number): number {
  if (failures < max) return 0;
  const doublings = Math.min(failures - max, 30);
  return Math.min(limits.lockoutSeconds * 2 ** doublings, limits.maxLockoutSeconds);
}

/**
 * Counts the attempt as a failure of each key, or throws LMC_ERR_AUTH_THROTTLED (429, data.retryAfterSeconds)
 * without counting it when a key is locked.
 */
export async function reserveAttempt(db: Database, limits: SignInLimits, keys: ThrottleKey[]): Promise<void> {
  const window = limits.failureWindowSeconds;
  if (Math.random() < 0.02) {
    // Now and then forget the keys nobody failed for a window (attacks with many emails leave many rows).
    await sql`delete from sign_in_throttle where last_failure_at < now() - make_interval(secs => ${window}) and coalesce(locked_until, '-infinity') < now()`.execute(db);
  }
  await db.transaction().execute(async (trx) => {
    await sql`insert into sign_in_throttle (key) select unnest(${keys.map((k) => k.key)}::text[]) on conflict (key) do nothing`.execute(trx);
    const rows = await sql<{ key: string; failures: number; stale: boolean; wait: number | null }>`
      select key, failures, last_failure_at < now() - make_interval(secs => ${window}) as stale,
        case when locked_until > now() then ceil(extract(epoch from locked_until - now()))::int end as wait
      from sign_in_throttle where key = any(${keys.map((k) => k.key)}::text[]) order by key for update`.execute(trx);
    const wait = Math.max(0, ...rows.rows.map((r) => r.wait ?? 0));
    if (wait > 0) throw AuthErrors.THROTTLED.create({ detail: `try again in ${wait} s`, data: { retryAfterSeconds: wait } });
    for (const r of rows.rows) {
      const k = keys.find((x) => x.key === r.key)!;
      const failures = (r.stale ? 0 : r.failures) + 1;
      const lock = lockSeconds(limits, failures, k.max);
      await sql`update sign_in_throttle set failures = ${failures}, last_failure_at = now(),
        locked_until = ${lock > 0 ? sql`now() + make_interval(secs => ${lock})` : null} where key = ${r.key}`.execute(trx);
    }
  });
}

/**
 * After the password check: a right password takes the attempt back (the user's count starts again; the
 * address keeps its other failures, so a valid login of one's own does not wash an address clean).
 */
export async function settleAttempt(db: Database, limits: SignInLimits, keys: ThrottleKey[], ok: boolean): Promise<void> {
  if (!ok) return;
  for (const k of keys) {
    if (k.key.startsWith('user:')) {
      await db.deleteFrom('sign_in_throttle').where('key', '=', k.key).execute();
    } else {
      // The lock this attempt may have set is lifted unless the earlier failures reach the limit themselves
      // (then a parallel attempt set it, and it stays).
      await sql`update sign_in_throttle set failures = greatest(failures - 1, 0),
        locked_until = case when failures - 1 >= ${k.max} then locked_until end where key = ${k.key}`.execute(db);
    }
  }
}
