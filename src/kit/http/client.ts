import { Readable } from 'node:stream';
import { Agent, fetch, type Dispatcher } from 'undici';
import { LmcError } from '../../shared/errors.ts';
import { sleep } from './abortable.ts';
import type { AuthSession } from './auth-session.ts';
import { verdictOfStatus, vendorDetails, type Classifier, type Verdict } from './classify.ts';
import { newCounters, type HttpCounters, type RetryEvent } from './counters.ts';
import { HttpErrors } from './errors.ts';
import { HttpError, requestIdOf } from './http-error.ts';
import { networkFailure } from './network-error.ts';
import { resolveOutboundTarget, type OutboundTarget } from '../outbound-targets.ts';
import { createLocalLimiter, type LimitOptions, type RateLimiter } from './rate-limiter.ts';
import { addedSecrets, redactUrl, scrub, secretQueryValues } from './redact.ts';
import { buildBody, buildUrl, IDEMPOTENT_METHODS, type HttpRequest } from './request-parts.ts';
import { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicy } from './retry-policy.ts';

export interface HttpClientOptions {
  /** The vendor's API root; request paths are appended to it. Credentials go only to its origin. */
  baseUrl: string;
  auth?: AuthSession;
  /** Limits of this client instance (ignored when `limiter` is given). */
  limits?: LimitOptions;
  /** A limiter shared beyond this instance (e.g. the engine's, per connection across workers). */
  limiter?: RateLimiter;
  retry?: Partial<RetryPolicy>;
  classify?: Classifier;
  /** Where to count calls, retries and waits (a fresh set when omitted; read `client.counters`). */
  counters?: HttpCounters;
  /** Called before each retry's wait, e.g. to write "429 from the vendor, waiting 2 s" in the run log. */
  onRetry?: (e: RetryEvent) => void;
  /** The run's signal: aborting it stops every request and wait of this client at once. */
  signal?: AbortSignal;
  userAgent?: string;
  headers?: Record<string, string>;
  /** Per attempt, until the answer is read (default 60 s). */
  timeoutMs?: number;
  /** Extra CA certificates (PEM) to trust: a private PKI, or a simulator's generated CA. */
  ca?: string | string[];
  /** An undici dispatcher of your own (proxy, connection limits); overrides `ca`. */
  dispatcher?: Dispatcher;
  /**
   * The operator's rule for private addresses (LMC_OUTBOUND_ALLOW_PRIVATE, see kit/outbound-targets.ts), for
   * base URLs an admin typed (a tenant's own address): a host resolving to a loopback, private or link-local
   * address fails with LMC_ERR_HTTP_TARGET_NOT_ALLOWED before anything is sent. Omitted: no check (a
   * vendor's fixed public API). The engine passes it for every connection.
   */
  allowPrivate?: boolean | string[];
}

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  data: T;
  /** The final URL (after redirects), unredacted: do not log it. */
  url: string;
  requestId?: string;
}

export interface HttpClient {
  readonly baseUrl: string;
  readonly counters: HttpCounters;
  request<T = unknown>(req: HttpRequest<T>): Promise<HttpResponse<T>>;
  get<T = unknown>(path: string, opts?: Omit<HttpRequest<T>, 'method' | 'path'>): Promise<T>;
  post<T = unknown>(path: string, json?: unknown, opts?: Omit<HttpRequest<T>, 'method' | 'path' | 'json'>): Promise<T>;
  /** Closes the connections of the client's own dispatcher (when it made one for `ca`). */
  close(): Promise<void>;
}

const VERDICT_ERROR = { 'rate-limited': HttpErrors.RATE_LIMITED, retry: HttpErrors.SERVER } as const;

/**
 * A vendor API client: injects the connection's credentials, refreshes them once on 401, retries 408, 429,
 * 5xx and network errors with full-jitter backoff and Retry-After, limits concurrency and rate, lets the
 * connector classify vendor quirks, validates answers with zod, and fails with HttpError (LMC_ERR_HTTP_*).
 *
 * @example
 *   const graph = createHttpClient({ baseUrl: 'https://graph.microsoft.com/v1.0', auth, limits: { concurrency: 4, ratePerSecond: 20 }, signal: run.signal });
 *   const me = await graph.get('/users', { query: { $select: 'id,mail' }, schema: UsersPage });
 */
export function createHttpClient(o: HttpClientOptions): HttpClient {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...o.retry };
  const limiter = o.limiter ?? createLocalLimiter(o.limits);
  const counters = o.counters ?? newCounters();
  const ownAgent = !o.dispatcher && o.ca ? new Agent({ connect: { ca: o.ca } }) : undefined;
  const dispatcher = o.dispatcher ?? ownAgent;
  const origin = new URL(o.baseUrl).origin;
  const timeoutMs = o.timeoutMs ?? 60_000;
  // One check per host and client (a run's client): the rule and DNS answers do not change within a run.
  const targets = new Map<string, Promise<OutboundTarget>>();
  const checkTarget = (host: string) => {
    let t = targets.get(host);
    if (!t) targets.set(host, (t = resolveOutboundTarget(host.replace(/^\[|\]$/g, ''), o.allowPrivate ?? true)));
    return t;
  };

  async function request<T>(req: HttpRequest<T>): Promise<HttpResponse<T>> {
    const method = (req.method ?? 'GET').toUpperCase();
    const signal = AbortSignal.any([o.signal, req.signal].filter((s): s is AbortSignal => Boolean(s)));
    const target = buildUrl(o.baseUrl, req);
    const { body, contentType } = buildBody(req);
    const idempotent = req.idempotent ?? IDEMPOTENT_METHODS.has(method);
    let attempts = 0;
    let retries = 0;
    let waited = 0;
    let refreshed = false;
    let secrets = { values: [] as string[], params: [] as string[] };
    const shownUrl = () => redactUrl(target, secrets.params);
    const callerSecrets = secretQueryValues(target);
    const fail = (kind: (typeof HttpErrors)[keyof typeof HttpErrors], info: { httpStatus?: number; vendorCode?: string; requestId?: string; vendorMessage?: string } = {}, extra: { field?: string; detail?: string; cause?: unknown } = {}) => {
      counters.failures++;
      const vendorMessage = info.vendorMessage ? scrub(info.vendorMessage, [...secrets.values, ...callerSecrets]).slice(0, 300) : undefined;
      return new HttpError(kind, { method, url: shownUrl(), attempts, ...info, vendorMessage }, { ...extra, detail: extra.detail && scrub(extra.detail, [...secrets.values, ...callerSecrets]) });
    };
    /** Waits before the next retry; false when the retries or the time budget are spent. */
    const backoff = async (ms: number, why: { httpStatus?: number; code?: string; fromServer: boolean }): Promise<boolean> => {
      if (retries >= policy.retries || waited + ms > policy.budgetMs) return false;
      o.onRetry?.({ method, url: shownUrl(), attempt: attempts, waitMs: ms, ...why });
      retries++;
      counters.retries++;
      waited += ms;
      counters.waitMs += ms;
      try {
        await sleep(ms, signal);
      } catch (e) {
        throw fail(HttpErrors.ABORTED, {}, { cause: e });
      }
      return true;
    };

    if (o.allowPrivate !== undefined && o.allowPrivate !== true) {
      const t = await checkTarget(target.hostname);
      // An unresolvable host is left to the call itself (a network error, retried like any other). Not covered:
      // a redirect fetch follows, and a name answering differently at connect time (no address pinning yet).
      if (!t.ok && t.reason === 'not-allowed') throw fail(HttpErrors.TARGET_NOT_ALLOWED, {}, { field: 'settings', detail: `${target.hostname} is a private or local address (use the server's public address, or ask the operator to allow this one)` });
    }

    for (;;) {
      if (signal.aborted) throw fail(HttpErrors.ABORTED, {}, { cause: signal.reason });
      const url = new URL(target);
      const headers = new Headers(o.headers);
      if (o.userAgent) headers.set('user-agent', o.userAgent);
      if (contentType) headers.set('content-type', contentType);
      if (!headers.has('accept') && (req.responseType ?? 'json') === 'json') headers.set('accept', 'application/json');
      for (const [k, v] of Object.entries(req.headers ?? {})) headers.set(k, v);
      // Credentials only to the vendor's own origin (a next-page link or redirect elsewhere gets none).
      if (o.auth && url.origin === origin) {
        const before = { url: new URL(url), headers: new Headers(headers) };
        await o.auth.apply({ url, headers });
        secrets = addedSecrets(before, { url, headers });
      }

      let release: () => void;
      try {
        const t0 = Date.now();
        release = once(await limiter.acquire(signal));
        counters.limitWaitMs += Date.now() - t0;
      } catch (e) {
        // A shared limiter may fail on its own (its database): that error says why, not "cancelled".
        if (!signal.aborted && e instanceof LmcError) throw e;
        throw fail(HttpErrors.ABORTED, {}, { cause: e });
      }
      attempts++;
      counters.calls++;
      // The attempt's deadline covers the answer until it is read; a streamed body is the caller's to pace.
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(new DOMException('the attempt timed out', 'TimeoutError')), req.timeoutMs ?? timeoutMs);
      const attemptSignal = AbortSignal.any([signal, deadline.signal]);
      let res: Awaited<ReturnType<typeof fetch>>;
      let text: string | undefined;
      let bytes: Buffer | undefined;
      try {
        res = await fetch(url, { method, headers: pairs(headers), body, signal: attemptSignal, dispatcher });
        if (req.responseType === 'stream' && res.ok && res.body) {
          clearTimeout(timer);
          const stream = Readable.fromWeb(res.body as never);
          stream.once('close', release);
          const h = copyHeaders(res.headers);
          return { status: res.status, headers: h, data: stream as T, url: res.url, requestId: requestIdOf(h) };
        }
        if (req.responseType === 'buffer' && res.ok) bytes = Buffer.from(await res.arrayBuffer());
        else text = await res.text();
      } catch (e) {
        clearTimeout(timer);
        release();
        if (signal.aborted) throw fail(HttpErrors.ABORTED, {}, { cause: signal.reason });
        const n = networkFailure(e);
        const cause = new Error(scrub(`${n.code}: ${n.message}`, secrets.values));
        if (n.tls) throw fail(HttpErrors.TLS, {}, { detail: n.code, cause });
        if ((idempotent || !n.mayHaveBeenSent) && (await backoff(retryDelayMs(retries, undefined, policy).ms, { code: n.code, fromServer: false }))) continue;
        throw fail(HttpErrors.NETWORK, {}, { detail: n.code, cause });
      }

      clearTimeout(timer);
      release();
      const headersOut = copyHeaders(res.headers);
      const requestId = requestIdOf(headersOut);
      let parsed: unknown = bytes ?? text;
      const isJson = /[/+]json\b/i.test(res.headers.get('content-type') ?? '');
      if (text !== undefined && (isJson || (req.responseType ?? 'json') === 'json') && text.trim()) {
        try {
          parsed = JSON.parse(text);
        } catch (e) {
          if (res.ok && isJson) throw fail(HttpErrors.INVALID_RESPONSE, { httpStatus: res.status, requestId }, { detail: 'the body is not valid JSON', cause: e });
        }
      }
      const verdict: Verdict = o.classify?.({ status: res.status, headers: headersOut, method, url: res.url }, parsed) ?? verdictOfStatus(res.status, parsed);
      const details = verdict.outcome === 'ok' ? {} : { ...vendorDetails(parsed), ...stripUndefined({ vendorCode: verdict.vendorCode, message: verdict.message }) };
      const info = { httpStatus: res.status, requestId, vendorCode: details.vendorCode, vendorMessage: details.message };

      if (verdict.outcome === 'ok') {
        if (req.responseType === 'json' || req.responseType === undefined) {
          if (req.schema) {
            const r = req.schema.safeParse(parsed);
            if (!r.success) {
              const issue = r.error.issues[0];
              const at = issue.path.map(String).join('.') || '(root)';
              throw fail(HttpErrors.INVALID_RESPONSE, { httpStatus: res.status, requestId }, { field: at, detail: `at ${at}: ${issue.message}` });
            }
            parsed = r.data;
          }
        }
        if (req.responseType === 'stream') parsed = Readable.from([Buffer.from(text ?? '')]);
        return { status: res.status, headers: headersOut, data: parsed as T, url: res.url, requestId };
      }
      if (verdict.outcome === 'auth-expired') {
        if (o.auth?.refresh && !refreshed) {
          refreshed = true;
          counters.authRefreshes++;
          let ok = false;
          try {
            ok = await o.auth.refresh();
          } catch (e) {
            // The auth kind's own coded error (e.g. "needs re-authorization" after invalid_grant) is the news.
            if (e instanceof LmcError) throw e;
            throw fail(HttpErrors.AUTH, info, { detail: 'refreshing the credentials failed', cause: e });
          }
          if (ok) continue;
        }
        throw fail(HttpErrors.AUTH, info);
      }
      if (verdict.outcome === 'rate-limited' || verdict.outcome === 'retry') {
        if (verdict.outcome === 'rate-limited') counters.throttled++;
        const d = verdict.retryAfterMs !== undefined ? { ms: Math.min(verdict.retryAfterMs, policy.maxMs), fromServer: true } : retryDelayMs(retries, headersOut, policy);
        if (await backoff(d.ms, { httpStatus: res.status, code: details.vendorCode, fromServer: d.fromServer })) continue;
        throw fail(VERDICT_ERROR[verdict.outcome], info);
      }
      throw fail(res.status >= 400 ? HttpErrors.CLIENT : HttpErrors.VENDOR, info);
    }
  }

  return {
    baseUrl: o.baseUrl,
    counters,
    request,
    get: async (path, opts) => (await request({ ...opts, method: 'GET', path })).data,
    post: async (path, json, opts) => (await request({ ...opts, method: 'POST', path, json })).data,
    close: async () => {
      await ownAgent?.close();
    },
  };
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      fn();
    }
  };
}

function stripUndefined<T extends Record<string, unknown>>(x: T): Partial<T> {
  return Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** fetch's own Headers class differs from the global one in types (undici's package vs Node's copy). */
function copyHeaders(h: { forEach(cb: (v: string, k: string) => void): void }): Headers {
  const out = new Headers();
  h.forEach((v, k) => out.append(k, v));
  return out;
}

function pairs(h: Headers): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  h.forEach((v, k) => out.push([k, v]));
  return out;
}
