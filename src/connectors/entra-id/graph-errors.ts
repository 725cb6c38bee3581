import type { Classifier } from '../../kit/http/classify.ts';

/**
 * Graph's error envelope, https://learn.microsoft.com/graph/errors:
 * `{ error: { code, message, innerError: { date, request-id, client-request-id } } }`.
 */
export interface GraphErrorBody {
  error?: { code?: string; message?: string; innerError?: { 'request-id'?: string; date?: string } };
}

/** Codes of https://learn.microsoft.com/graph/errors and https://learn.microsoft.com/graph/throttling that mean "slow down". */
const THROTTLED = new Set(['TooManyRequests', 'activityLimitReached', 'throttledRequest']);
/** Codes that mean "not now": the service or a backend was unavailable or timed out. */
const TRANSIENT = new Set(['serviceNotAvailable', 'timeout', 'generalException']);

/**
 * What a Graph answer means. Throttling is 429 (and sometimes 503) with Retry-After
 * (https://learn.microsoft.com/graph/throttling): both retried, the kit waiting what Retry-After says.
 * The message keeps Graph's request-id (what Microsoft support asks for) when a proxy dropped the header.
 */
export const classifyGraph: Classifier = (res, body) => {
  if (res.status < 400) return undefined;
  const e = (body as GraphErrorBody | undefined)?.error;
  if (!e || typeof e !== 'object') return undefined;
  const vendorCode = e.code;
  const rid = e.innerError?.['request-id'];
  const message = [e.message, rid && !res.headers.get('request-id') ? `(request-id ${rid})` : undefined].filter(Boolean).join(' ') || undefined;
  if (res.status === 429 || (vendorCode && THROTTLED.has(vendorCode))) return { outcome: 'rate-limited', vendorCode, message };
  if (res.status === 503 || res.status === 504 || (res.status >= 500 && vendorCode && TRANSIENT.has(vendorCode))) return { outcome: 'retry', vendorCode, message };
  if (res.status === 401) return { outcome: 'auth-expired', vendorCode, message };
  if (res.status >= 500) return { outcome: 'retry', vendorCode, message };
  return { outcome: 'fatal', vendorCode, message };
};

/** Graph refuses an app without the permission (403 Authorization_RequestDenied, "Insufficient privileges..."). */
export function isPermissionDenied(e: unknown): boolean {
  const x = e as { httpStatus?: number; vendorCode?: string };
  return x?.httpStatus === 403 || x?.vendorCode === 'Authorization_RequestDenied';
}

/** The delta token is unknown or expired: 410 Gone (or 400) syncStateNotFound; the sync starts again in full. */
export function isSyncStateLost(e: unknown): boolean {
  const x = e as { httpStatus?: number; vendorCode?: string };
  return x?.httpStatus === 410 || /^(syncStateNotFound|resyncRequired|SyncStateNotFound)/.test(x?.vendorCode ?? '');
}
