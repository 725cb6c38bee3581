import pg from 'pg';

// COPY (SELECT ...) TO STDOUT takes no bind parameters, so report queries are built as text. Every value
// that reaches the text passes through these helpers: literals and identifiers are escaped by pg's own
// functions, numbers are checked to be integers.

/** A quoted SQL string literal. @example lit("O'Brien") === "'O''Brien'" */
export const lit = (s: string): string => pg.escapeLiteral(s);

/** A quoted SQL identifier (column alias). @example ident('Dept, "A"') === '"Dept, ""A"""' */
export const ident = (s: string): string => pg.escapeIdentifier(s);

/** An integer literal; throws for anything else (ids are never interpolated unchecked). */
export function int(n: number): string {
  if (!Number.isSafeInteger(n)) throw new TypeError(`not an integer: ${n}`);
  return String(n);
}

/** A timestamptz literal from a Date. */
export const ts = (d: Date): string => `${lit(d.toISOString())}::timestamptz`;

/**
 * The one date format of every report: ISO 8601 in UTC with seconds, e.g. 2026-03-01T09:30:00Z (docs/reports.md).
 * Empty when the value is null.
 */
export const isoDate = (expr: string): string => `to_char((${expr}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

/** `expr >= from and expr < to` for the bounds given (from inclusive, to exclusive: windows chain without overlap). */
export function inRange(expr: string, from: Date | undefined, to: Date | undefined): string[] {
  const out: string[] = [];
  if (from) out.push(`${expr} >= ${ts(from)}`);
  if (to) out.push(`${expr} < ${ts(to)}`);
  return out;
}
