import { defineErrors } from '../shared/errors.ts';

/** Requests refused before they reach a route: the HTTP layer's own limits. */
export const HttpErrors = defineErrors('HTTP', {
  HEADERS_TOO_LARGE: { status: 431, message: 'the request headers are larger than 16 KB' },
  MALFORMED_REQUEST: { status: 400, message: 'the request is not valid HTTP' },
  REQUEST_TIMEOUT: { status: 408, message: 'the request took too long to arrive', retryable: true },
});
