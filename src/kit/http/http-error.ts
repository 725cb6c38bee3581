import { LmcError, type ErrorFactory } from '../../shared/errors.ts';
import { headerOf, type HeaderSource } from './retry-policy.ts';

/** Headers vendors put their request id in, most specific first. */
export const REQUEST_ID_HEADERS = [
  'x-request-id',
  'request-id',
  'x-ms-request-id',
  'client-request-id',
  'sforce-request-id',
  'x-amzn-requestid',
  'x-amz-request-id',
  'x-correlation-id',
  'x-trace-id',
  'x-box-request-id',
  'cf-ray',
] as const;

export function requestIdOf(h: HeaderSource): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const v = headerOf(h, name);
    if (v) return v;
  }
  return undefined;
}

export interface HttpErrorInfo {
  method: string;
  /** Already redacted (redact.ts): never a credential. */
  url: string;
  /** The vendor's HTTP status; undefined for network errors. */
  httpStatus?: number;
  vendorCode?: string;
  requestId?: string;
  attempts: number;
  /** The vendor's own words (scrubbed), shortened. */
  vendorMessage?: string;
}

/**
 * A failed vendor call: an LmcError (code LMC_ERR_HTTP_*, `status` = what lmc's API answers, `retryable` =
 * whether running again later may succeed) carrying the vendor's status, code and request id.
 * The message and toJSON() hold the method and the redacted URL, never a credential.
 */
export class HttpError extends LmcError {
  readonly httpStatus?: number;
  readonly vendorCode?: string;
  readonly requestId?: string;
  readonly method: string;
  readonly url: string;
  readonly attempts: number;

  constructor(kind: ErrorFactory, info: HttpErrorInfo, extra: { field?: string; detail?: string; cause?: unknown } = {}) {
    const bits = [
      info.httpStatus ? `HTTP ${info.httpStatus}` : undefined,
      info.vendorCode ? `vendor code ${info.vendorCode}` : undefined,
      info.requestId ? `request id ${info.requestId}` : undefined,
      info.attempts > 1 ? `${info.attempts} attempts` : undefined,
    ].filter(Boolean);
    const detail = [`${info.method} ${info.url}`, bits.length ? `(${bits.join(', ')})` : '', info.vendorMessage ? `: ${info.vendorMessage}` : '', extra.detail ? `: ${extra.detail}` : ''].join(' ').replace(/\s+:/g, ':').trim();
    super(kind.code, kind.spec, {
      detail,
      field: extra.field,
      cause: extra.cause,
      data: { method: info.method, url: info.url, httpStatus: info.httpStatus, vendorCode: info.vendorCode, requestId: info.requestId, attempts: info.attempts },
    });
    this.name = 'HttpError';
    this.httpStatus = info.httpStatus;
    this.vendorCode = info.vendorCode;
    this.requestId = info.requestId;
    this.method = info.method;
    this.url = info.url;
    this.attempts = info.attempts;
  }
}
