import { DateTime, IANAZone } from 'luxon';

/** A repeating schedule: from a local start date/time in an IANA zone, every N days (or hours). */
export interface ScheduleSpec {
  /** 'YYYY-MM-DDTHH:mm' (local wall time in timeZone). */
  startLocal: string;
  timeZone: string;
  every: number;
  unit: 'days' | 'hours';
}

export function isValidZone(tz: string): boolean {
  return IANAZone.isValidZone(tz);
}

function start(s: ScheduleSpec): DateTime {
  const dt = DateTime.fromISO(s.startLocal, { zone: s.timeZone });
  if (!dt.isValid) throw new Error(`invalid start ${s.startLocal} in ${s.timeZone}: ${dt.invalidExplanation}`);
  return dt;
}

/**
 * The k-th slot (k ≥ 0). Days are calendar days in the schedule's zone: "every day at 02:30 Europe/Paris"
 * stays at 02:30 local across DST changes (on the spring-forward day, when 02:30 does not exist, the slot
 * is 03:30 — luxon moves a missing wall time forward by the gap). Hours are elapsed hours.
 */
export function slotAt(s: ScheduleSpec, k: number): Date {
  const st = start(s);
  if (s.unit === 'hours') return st.plus({ hours: k * s.every }).toJSDate();
  // From the start's wall time each time (not slot to slot), so a shifted slot does not drift later ones.
  return st.plus({ days: k * s.every }).toJSDate();
}

/** Index of the last slot at or before `t` (-1 when t is before the first slot). */
function lastIndexAtOrBefore(s: ScheduleSpec, t: Date): number {
  const first = slotAt(s, 0).getTime();
  if (t.getTime() < first) return -1;
  const periodMs = s.every * (s.unit === 'hours' ? 3_600_000 : 86_400_000);
  // Calendar days are 23-25 hours: estimate, then correct by stepping.
  let k = Math.max(0, Math.floor((t.getTime() - first) / periodMs));
  while (k > 0 && slotAt(s, k).getTime() > t.getTime()) k--;
  while (slotAt(s, k + 1).getTime() <= t.getTime()) k++;
  return k;
}

/** The first slot strictly after `t`. */
export function nextSlotAfter(s: ScheduleSpec, t: Date): Date {
  return slotAt(s, lastIndexAtOrBefore(s, t) + 1);
}

/** The latest slot at or before `t`, or null. After downtime this is the one slot that runs (missed slots run once). */
export function lastSlotAtOrBefore(s: ScheduleSpec, t: Date): Date | null {
  const k = lastIndexAtOrBefore(s, t);
  return k < 0 ? null : slotAt(s, k);
}
