/**
 * PostgreSQL's "data exception" codes that only a caller's values can cause (out of range, bad text, NUL,
 * too long), and the index row limit a huge value hits: the caller's mistake, not the server's.
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const PG_INPUT_ERRORS = new Set(['22001', '22003', '22007', '22008', '22021', '22P02', '22P05', '54000']);

/** True for a database error caused by a value of the request (see PG_INPUT_ERRORS). */
export function isDbInputError(err: unknown): err is Error & { code: string } {
  return err instanceof Error && 'severity' in err && PG_INPUT_ERRORS.has(String((err as { code?: unknown }).code));
}
