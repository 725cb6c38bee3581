import { DateTime } from 'luxon';
import { z } from 'zod';
import { DateErrors } from './date-errors.ts';

/**
 * The one reading of dates typed into the API, the CLI and the web app.
 *
 * Accepted: ISO 8601 extended format, a date (`2026-03-01`) or a date-time (`2026-03-01T08:00`,
 * `2026-03-01T08:00:00.250+05:30`, `…Z`). **A date or date-time without an offset is UTC** — never the time zone
 * of the process or of the caller's shell: a server's answer must not change with `TZ` (Asia/Kolkata gave 0 rows
 * where UTC gave 954). Impossible dates (`2026-02-30`, `T25:00`) are refused, not rolled over to March.
 * Week and ordinal forms, times alone, and anything else are refused: they are typos more often than intent.
 */
const SHAPE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

export const DATE_RULE = 'ISO 8601, e.g. 2026-03-01 or 2026-03-01T08:00:00Z; without an offset the time is UTC';

/** Why `value` is not a date by the rule above, or null when it is one. */
function problem(value: string): string | null {
  if (!SHAPE.test(value)) return `"${value}" is not an ISO 8601 date (${DATE_RULE})`;
  const d = DateTime.fromISO(value, { zone: 'utc' });
  if (!d.isValid) return `"${value}" does not exist on the calendar (no such day, hour or minute)`;
  return null;
}

/**
 * Reads a typed date strictly; throws LMC_ERR_DATE_INVALID naming `field`.
 * @example parseIsoDate('2026-03-01T08:00', 'since') // 2026-03-01T08:00:00.000Z, whatever TZ says
 */
export function parseIsoDate(value: string, field: string): Date {
  const why = problem(value.trim());
  if (why) throw DateErrors.INVALID.create({ detail: `${field}: ${why}`, field });
  return DateTime.fromISO(value.trim(), { zone: 'utc' }).toJSDate();
}

/**
 * A zod schema for a date typed in a query string or a JSON body (a string), read by parseIsoDate's rule.
 * Replaces z.coerce.date(), which rolled 2026-02-30 over to March, read offset-less times in the server's zone
 * and answered "expected date, received Date" for garbage.
 * @example z.object({ from: isoDateInput().optional() })
 */
export function isoDateInput() {
  return z.string().transform((s, ctx) => {
    const why = problem(s.trim());
    if (why) {
      ctx.addIssue({ code: 'custom', message: why });
      return z.NEVER;
    }
    return DateTime.fromISO(s.trim(), { zone: 'utc' }).toJSDate();
  }).describe(DATE_RULE);
}
