import { defineErrors } from '../../shared/errors.ts';

/**
 * Errors of vendor API calls (kit/http). The vendor's own status, code and request id travel on the
 * HttpError (http-error.ts); the HTTP status here is what lmc's API answers when such an error reaches it.
 */
export const HttpErrors = defineErrors('HTTP', {
  AUTH: { status: 502, message: "the vendor refused the connection's credentials (check them, or authorize the connection again)" },
  RATE_LIMITED: { status: 503, message: 'the vendor kept asking to slow down (rate limit) after every retry', retryable: true },
  SERVER: { status: 502, message: 'the vendor kept failing with a server error after every retry', retryable: true },
  NETWORK: { status: 502, message: 'the vendor could not be reached (connection refused, reset or timed out) after every retry', retryable: true },
  TARGET_NOT_ALLOWED: { status: 400, message: 'the operator of this hub does not allow calls to servers on private or local network addresses' },
  TLS: { status: 502, message: "the vendor's TLS certificate is not trusted (an unknown authority, an expired certificate or another host name)" },
  CLIENT: { status: 502, message: 'the vendor rejected the request' },
  VENDOR: { status: 502, message: 'the vendor answered with an error' },
  INVALID_RESPONSE: { status: 502, message: "the vendor's answer does not have the expected shape" },
  ABORTED: { status: 503, message: 'the call was cancelled (the run was stopped)' },
});
