import { RETRYABLE_STATUSES } from './retry-policy.ts';

/** What a vendor's answer means, decided by the connector's classifier or by the status code. */
export type Verdict =
  | { outcome: 'ok' }
  /** Slow down, then retry (429, or e.g. Marketo's HTTP 200 with error 606). */
  | { outcome: 'rate-limited'; vendorCode?: string; message?: string; retryAfterMs?: number }
  /** A transient failure: retry with backoff (5xx, or a vendor's "try again" code). */
  | { outcome: 'retry'; vendorCode?: string; message?: string; retryAfterMs?: number }
  /** The credentials expired (401, or e.g. a SOAP fault "INVALID_SESSION_ID"): refresh once, then retry. */
  | { outcome: 'auth-expired'; vendorCode?: string; message?: string }
  /** A failure that another try will not fix (most 4xx, a SOAP fault, a vendor error inside HTTP 200). */
  | { outcome: 'fatal'; vendorCode?: string; message?: string };

export interface ClassifyInput {
  status: number;
  headers: Headers;
  method: string;
  url: string;
}

/**
 * A connector's hook for vendor quirks: return a verdict, or undefined to fall back to the status code.
 * `body` is the parsed JSON, or the text for other content types (undefined for streamed answers).
 * @example
 *   // Marketo answers errors with HTTP 200: https://developers.marketo.com/rest-api/error-codes/
 *   classify: (res, body) => {
 *     const b = body as { success?: boolean; errors?: Array<{ code: string; message: string }> };
 *     if (b?.success !== false) return undefined;
 *     const e = b.errors?.[0];
 *     if (e?.code === '606' || e?.code === '615') return { outcome: 'rate-limited', vendorCode: e.code, message: e.message };
 *     if (e?.code === '601' || e?.code === '602') return { outcome: 'auth-expired', vendorCode: e.code, message: e.message };
 *     return { outcome: 'fatal', vendorCode: e?.code, message: e?.message };
 *   }
 */
export type Classifier = (res: ClassifyInput, body: unknown) => Verdict | undefined;

/** The usual places of a vendor's error code and message in a JSON error body. */
export function vendorDetails(body: unknown): { vendorCode?: string; message?: string } {
  if (!body || typeof body !== 'object') return typeof body === 'string' && body.trim() ? { message: body.trim() } : {};
  const b = body as Record<string, unknown>;
  const err = b.error && typeof b.error === 'object' ? (b.error as Record<string, unknown>) : undefined;
  const first = Array.isArray(b.errors) && b.errors[0] && typeof b.errors[0] === 'object' ? (b.errors[0] as Record<string, unknown>) : undefined;
  const str = (...v: unknown[]) => {
    const x = v.find((y) => typeof y === 'string' || typeof y === 'number');
    return x === undefined ? undefined : String(x);
  };
  return {
    vendorCode: str(err?.code, b.code, typeof b.error === 'string' ? b.error : undefined, first?.code, b.errorCode),
    message: str(err?.message, b.message, b.error_description, first?.message, b.errorMessage),
  };
}

/** The verdict from the status code alone. */
export function verdictOfStatus(status: number, body: unknown): Verdict {
  if (status < 400) return { outcome: 'ok' };
  const d = vendorDetails(body);
  if (status === 401) return { outcome: 'auth-expired', ...d };
  if (status === 429) return { outcome: 'rate-limited', ...d };
  if (RETRYABLE_STATUSES.has(status)) return { outcome: 'retry', ...d };
  return { outcome: 'fatal', ...d };
}
