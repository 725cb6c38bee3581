import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { fastFormatDate, fastIsoDate } from '../../src/pipelines/import-xapi/fast-dates.ts';
import { parseDate, type DateSettings } from '../../src/pipelines/import-xapi/values.ts';

// parseDate's fast paths (fast-dates.ts) must give exactly what luxon gives: the same instant, or no date.

/** parseDate as it was before the fast paths: luxon alone. */
function luxonDate(v: string, s: DateSettings): Date | undefined {
  const t = v.trim();
  if (!t) return undefined;
  const zone = s.timeZone || 'UTC';
  let d = DateTime.fromISO(t, { zone, setZone: true });
  if (!d.isValid && s.dateFormat) d = DateTime.fromFormat(t, s.dateFormat, { zone, setZone: true });
  return d.isValid ? d.toJSDate() : undefined;
}

const ZONES = ['UTC', 'America/Chicago', 'Europe/Paris', 'Asia/Kolkata', 'America/St_Johns', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'Africa/Monrovia', 'Europe/Moscow', 'No/Such_Zone'];
const FORMATS = ['MM/dd/yyyy HH:mm', "dd.MM.yyyy h:mm:ss a", "yyyy-MM-dd'T'HH:mm:ss.SSS", 'M/d/yy H:mm', 'MMM d, yyyy HH:mm', 'MM/dd HH:mm', 'MM/dd/yyyy HH:mm ZZ'];

/** Instants every `stepMin` minutes over the two days around each offset change of `zone` in `years`, plus ordinary days. */
function instantsNearChanges(zone: string, years: number[], stepMin: number): number[] {
  const out: number[] = [];
  for (const year of years) {
    let prev: number | undefined;
    for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 3_600_000) {
      const o = DateTime.fromMillis(t, { zone }).offset;
      if (prev !== undefined && o !== prev) for (let u = t - 86_400_000; u < t + 86_400_000; u += stepMin * 60_000) out.push(u);
      prev = o;
    }
    for (let u = Date.UTC(year, 4, 10, 7, 3); u < Date.UTC(year, 4, 11); u += 97 * 60_000) out.push(u);
  }
  return out;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

describe('parseDate fast paths', () => {
  it('ISO 8601 and date formats: the same instant as luxon in every zone, across offset changes', () => {
    let compared = 0;
    let fast = 0;
    for (const timeZone of ZONES) {
      const zone = DateTime.local().setZone(timeZone).isValid ? timeZone : 'UTC';
      for (const t of instantsNearChanges(zone, [2026, 1971], 20)) {
        const w = DateTime.fromMillis(t, { zone });
        const wall = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
        const iso = [wall, `${wall}:${pad(w.second)}.${pad(w.millisecond, 3)}`, wall.slice(0, 10), `${wall}Z`, `${wall}:07+05:30`, `${wall}-0800`, `${wall}+02`, `${wall}:00,25-00:30`];
        const cases: Array<[string, string | undefined]> = [
          ...iso.flatMap((v): Array<[string, string | undefined]> => [[v, undefined], [v, FORMATS[0]]]),
          ...FORMATS.map((f): [string, string] => [w.toFormat(f), f]),
        ];
        for (const [v, dateFormat] of cases) {
          const s = { timeZone, dateFormat };
          const got = parseDate(v, s);
          const want = luxonDate(v, s);
          if (got?.getTime() !== want?.getTime()) expect({ v, s, got: got?.toISOString() }).toEqual({ v, s, got: want?.toISOString() });
          compared++;
          if (fastIsoDate(v.trim(), timeZone) || (dateFormat && fastFormatDate(v.trim(), dateFormat, timeZone))) fast++;
        }
      }
    }
    // the comparison covered the fast paths, not only luxon's
    expect(compared).toBeGreaterThan(50_000);
    expect(fast / compared).toBeGreaterThan(0.3);
  }, 600_000);

  it('unusual and invalid values: the same as luxon (most go to luxon itself)', () => {
    const values = [
      '2026-02-30', '2026-02-29', '2024-02-29', '2100-02-29', '2000-02-29', '2026-13-01', '2026-00-10', '2026-01-00', '2026-01-01T24:00', '2026-01-01T24:00:01',
      '2026-01-01T23:59:60', '2026-01-01T23:60', '1899-12-31T10:00', '0099-01-01', '3000-01-01', '+002026-03-01', '2026-01-01T10:00+24:00', '2026-01-01T10:00+23:59',
      '2026-01-01T10:00-00:30', '2026-01-01T10:00+14:60', '2026-01-01T10:00:00,5Z', '2026-01-01t10:00z', '2026-01-01T10:00:00.123456789Z', '2026-01-01T10:00:00.9999Z',
      '2026-W01-1', '2026-032', '20260301T1000', '2026-03-01T10', '2026-03-01T10:00:00Z[Europe/Paris]', '2026-03-01 10:00', ' 2026-03-01T10:00 ', 'soon', '12/31/2026 25:00',
      '02/30/2026 10:00', '02/29/2028 10:00', '12/31/1899 10:00', '1/2/26 3:04', '03/08/2026 02:30', '11/01/2026 01:30', '03/29/2026 02:30', '10/25/2026 02:30',
    ];
    for (const timeZone of ZONES) {
      for (const dateFormat of [undefined, ...FORMATS]) {
        for (const v of values) {
          const s = { timeZone, dateFormat };
          expect({ v, s, got: parseDate(v, s)?.toISOString() }).toEqual({ v, s, got: luxonDate(v, s)?.toISOString() });
        }
      }
    }
  }, 120_000);
});
