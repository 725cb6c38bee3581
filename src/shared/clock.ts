/**
 * The app's one clock. The scheduler, the engine's run timestamps and the windows of exports read "now" from
 * the clock in the app context, never from `new Date()`, so a test that asserts an absolute instant can pin
 * it and hold on any day it runs (and under a moved machine clock: `faketime -f '+400d' npm test`).
 *
 * Leases and heartbeats are not read from it: they compare with PostgreSQL's `now()` because every process of
 * a deployment shares that one server clock.
 *
 * @example const clock = clockStartingAt(new Date('2026-11-30T12:00:00Z')); clock.now() // 2026-11-30T12:00:00Z, then ticking
 */
export interface Clock {
  now(): Date;
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that reads `at` now and ticks with the machine's clock from there. */
export function clockStartingAt(at: Date): Clock {
  const offset = at.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}
