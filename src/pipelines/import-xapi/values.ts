import { DateTime } from 'luxon';
import { fastFormatDate, fastIsoDate } from './fast-dates.ts';

/** The types a mapped CSV value is converted to (docs/xapi-import.md, "Types"). */
export const XAPI_IMPORT_TYPES = ['string', 'number', 'boolean', 'date'] as const;
export type XapiImportType = (typeof XAPI_IMPORT_TYPES)[number];

export interface DateSettings {
  /** A luxon format (e.g. "MM/dd/yyyy HH:mm"), tried after ISO 8601. */
  dateFormat?: string;
  /** IANA zone for dates without an offset; default UTC. */
  timeZone?: string;
}

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

/** A decimal number ("12", "-0.5", "1e3"); undefined for anything else (e.g. "12 kg", "0x1F", ""). */
export function parseNumber(v: string): number | undefined {
  const t = v.trim();
  if (!NUMBER_RE.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** true/false, yes/no, y/n, 1/0 (any case); undefined for anything else. */
export function parseBoolean(v: string): boolean | undefined {
  const t = v.trim().toLowerCase();
  return TRUE.has(t) ? true : FALSE.has(t) ? false : undefined;
}

/**
 * A date or date-time in ISO 8601 ("2026-03-01", "2026-03-01T10:00:00+02:00") or, failing that, in the
 * configuration's date format; without an offset it is in the configured zone (UTC by default).
 * @example parseDate('03/01/2026 10:00', { dateFormat: 'MM/dd/yyyy HH:mm' })
 */
export function parseDate(v: string, s: DateSettings = {}): Date | undefined {
  const t = v.trim();
  if (!t) return undefined;
  const zone = s.timeZone || 'UTC';
  // the common forms without luxon's per-call cost, with its result (fast-dates.ts); luxon for the rest
  const iso = fastIsoDate(t, zone);
  if (iso) return iso;
  let d = DateTime.fromISO(t, { zone, setZone: true });
  if (!d.isValid && s.dateFormat) {
    const f = fastFormatDate(t, s.dateFormat, zone);
    if (f) return f;
    d = DateTime.fromFormat(t, s.dateFormat, { zone, setZone: true });
  }
  return d.isValid ? d.toJSDate() : undefined;
}

/** Converts a non-empty cell to its mapped type, or returns the reason it cannot be. */
export function convert(v: string, type: XapiImportType, s: DateSettings): { ok: true; value: unknown } | { ok: false; reason: string } {
  switch (type) {
    case 'string':
      return { ok: true, value: v };
    case 'number': {
      const n = parseNumber(v);
      return n === undefined ? { ok: false, reason: `"${v}" is not a number` } : { ok: true, value: n };
    }
    case 'boolean': {
      const b = parseBoolean(v);
      return b === undefined ? { ok: false, reason: `"${v}" is not a boolean (true/false, yes/no, 1/0)` } : { ok: true, value: b };
    }
    case 'date': {
      const d = parseDate(v, s);
      return d === undefined
        ? { ok: false, reason: `"${v}" is not a date (ISO 8601${s.dateFormat ? ` or ${s.dateFormat}` : ''})` }
        : { ok: true, value: d.toISOString() };
    }
  }
}
