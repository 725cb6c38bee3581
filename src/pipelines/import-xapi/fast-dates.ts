import { DateTime } from 'luxon';

/**
 * Fast paths of parseDate (values.ts) for the dates CSV files hold in bulk, with exactly luxon's result: a
 * 500k-row import parses a million dates, and luxon took 15-100 µs for an ISO date (its time zone offsets come
 * from Intl.DateTimeFormat every time) and ~150 µs for a date format in a zone, a quarter of the import's time
 * (bench/xapi-import.ts). Each function returns undefined for anything it does not settle itself (another ISO
 * form, an invalid or unusual value, a time near a zone's offset change): the caller then asks luxon.
 * tests/xapi-import/fast-dates.test.ts compares both over every form, zone and transition.
 */

// The common ISO 8601 forms, as luxon reads them: calendar date, optional time (minutes, seconds, fraction),
// optional offset (Z, ±hh, ±hhmm, ±hh:mm).
const ISO = /^(\d{4})-(\d\d)-(\d\d)(?:[Tt](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d{1,30}))?)?(?:([Zz])|([+-]\d\d)(?::?(\d\d))?)?)?$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysIn = (y: number, m: number) => (m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : DAYS[m - 1]);

/** An ISO 8601 date-time of the common forms; a time without an offset is in `zone`. */
export function fastIsoDate(t: string, zone: string): Date | undefined {
  const m = ISO.exec(t);
  if (!m) return undefined;
  const y = +m[1];
  const mo = +m[2];
  const d = +m[3];
  const h = m[4] === undefined ? 0 : +m[4];
  const mi = m[5] === undefined ? 0 : +m[5];
  const s = m[6] === undefined ? 0 : +m[6];
  // luxon's parseMillis, to the same rounding
  const ms = m[7] === undefined ? 0 : Math.floor(parseFloat('0.' + m[7]) * 1000);
  // years outside 1900-2999, hour 24, leap seconds, impossible days: luxon decides
  if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  if (m[8]) return new Date(wall);
  if (m[9]) {
    const oh = parseInt(m[9], 10);
    const om = m[10] === undefined ? 0 : parseInt(m[10], 10);
    if (Math.abs(oh) > 23 || om > 59) return undefined;
    // luxon's signedOffset: "-00:30" is minus 30 minutes
    const offset = oh * 60 + (oh < 0 || Object.is(oh, -0) ? -om : om);
    return new Date(wall - offset * 60_000);
  }
  return wallInZone(wall, y, mo, d, h, zone);
}

// A date format of these tokens reads the same fields whatever the zone (no offset, zone name or timestamp).
const FORMAT_LETTERS = /^[yMdHhmsSa]+$/;
const parsers = new Map<string, ReturnType<typeof DateTime.buildFormatParser> | null>();

function parserOf(format: string) {
  let p = parsers.get(format);
  if (p === undefined) {
    const letters = format.replace(/'[^']*'/g, '').replace(/[^A-Za-z]/g, '');
    // a year, month and day in the value: luxon fills a missing one from "now" in the zone
    const usable = FORMAT_LETTERS.test(letters) && /y/.test(letters) && /M/.test(letters) && /d/.test(letters);
    p = usable ? DateTime.buildFormatParser(format) : null;
    if (parsers.size > 100) parsers.clear();
    parsers.set(format, p);
  }
  return p;
}

/** A value in a luxon `format` of date and time tokens only, the wall time in `zone`. */
export function fastFormatDate(t: string, format: string, zone: string): Date | undefined {
  const parser = parserOf(format);
  if (!parser) return undefined;
  // parsed as UTC wall-clock fields (luxon's slow part is the zone), then put in the zone
  const w = DateTime.fromFormatParser(t, parser, { zone: 'UTC' });
  if (!w.isValid || w.year < 1900 || w.year > 2999) return undefined;
  return wallInZone(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond), w.year, w.month, w.day, w.hour, zone);
}

function wallInZone(wall: number, y: number, mo: number, d: number, h: number, zone: string): Date | undefined {
  if (zone === 'UTC') return new Date(wall);
  const offset = hourOffset(zone, y, mo, d, h);
  return offset === undefined ? undefined : new Date(wall - offset * 60_000);
}

// The zone's offset (minutes) for each local day, or each hour of a day that has none, or null for an hour
// luxon must handle itself. A day is one lookup for a whole file of dates spread over a year.
const offsets = new Map<string, Map<number, number | null>>();

function hourOffset(zone: string, year: number, month: number, day: number, hour: number): number | undefined {
  let z = offsets.get(zone);
  if (!z) {
    if (offsets.size > 100) offsets.clear();
    offsets.set(zone, (z = new Map()));
  }
  if (z.size > 200_000) z.clear();
  const dayKey = ((year * 100 + month) * 100 + day) * 100 + 99;
  let o = z.get(dayKey);
  if (o === undefined) z.set(dayKey, (o = steadyOffset(zone, year, month, day, 0, 23)));
  if (o !== null) return o;
  const hourKey = dayKey - 99 + hour;
  o = z.get(hourKey);
  if (o === undefined) z.set(hourKey, (o = steadyOffset(zone, year, month, day, hour, hour)));
  return o ?? undefined;
}

/**
 * The offset of local hours `from`-`to` of a day, when luxon gives every instant of them the same one: they
 * exist (not skipped by a change), have the same offset hour by hour, and no change is near enough for luxon's
 * guess (which starts from today's offset) to land on the other side of it: luxon then reads a time of them
 * as `wall - offset`. Otherwise null.
 */
function steadyOffset(zone: string, year: number, month: number, day: number, from: number, to: number): number | null {
  const a = DateTime.fromObject({ year, month, day, hour: from }, { zone });
  const b = DateTime.fromObject({ year, month, day, hour: to, minute: 59, second: 59, millisecond: 999 }, { zone });
  if (!a.isValid || !b.isValid || a.day !== day || a.hour !== from || b.day !== day || b.hour !== to || a.offset !== b.offset) return null;
  const z = a.zone;
  const margin = Math.abs(z.offset(Date.now()) - a.offset) * 60_000 + 2 * 3_600_000;
  // hour by hour: a change and its reversal inside the span are seen too
  for (let t = a.toMillis() - margin; t < b.toMillis() + margin + 3_600_000; t += 3_600_000) if (z.offset(t) !== a.offset) return null;
  return a.offset;
}
