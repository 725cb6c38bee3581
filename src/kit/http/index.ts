/** kit/http: the HTTP client every API connector uses (see docs/kit.md). */
export type { AuthSession } from './auth-session.ts';
export { createHttpClient, type HttpClient, type HttpClientOptions, type HttpResponse } from './client.ts';
export type { HttpRequest, QueryValue } from './request-parts.ts';
export { verdictOfStatus, vendorDetails, type Classifier, type ClassifyInput, type Verdict } from './classify.ts';
export { newCounters, type HttpCounters, type RetryEvent } from './counters.ts';
export { HttpErrors } from './errors.ts';
export { HttpError, REQUEST_ID_HEADERS, requestIdOf } from './http-error.ts';
export { createLocalLimiter, type LimitOptions, type RateLimiter, type Release } from './rate-limiter.ts';
export { redactUrl } from './redact.ts';
export { DEFAULT_RETRY_POLICY, RETRYABLE_STATUSES, fullJitterMs, retryDelayMs, serverWaitMs, type RetryPolicy } from './retry-policy.ts';
export { sleep } from './abortable.ts';
