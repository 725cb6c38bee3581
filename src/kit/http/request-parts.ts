import type { ZodType } from 'zod';

export type QueryValue = string | number | boolean | undefined | null | Array<string | number | boolean>;

/** One call. Exactly one of `path` (below the base URL) or `url` (absolute, or relative to the base's origin). */
export interface HttpRequest<T = unknown> {
  method?: string;
  path?: string;
  url?: string;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  /** A body sent as JSON, or form fields (application/x-www-form-urlencoded), or raw bytes/text. */
  json?: unknown;
  form?: Record<string, string>;
  body?: string | Uint8Array;
  /** Validates the parsed JSON answer; a mismatch is LMC_ERR_HTTP_INVALID_RESPONSE naming the path. */
  schema?: ZodType<T>;
  /** 'json' (default), 'text', 'buffer', or 'stream' (a Node Readable: the caller must consume or destroy it). */
  responseType?: 'json' | 'text' | 'buffer' | 'stream';
  /** Marks a POST/PATCH safe to send twice (a network error after sending retries it then). */
  idempotent?: boolean;
  signal?: AbortSignal;
  /** Per attempt, until the whole answer is read (default: the client's, 60 s). */
  timeoutMs?: number;
}

export const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/** base + path keeps the base's own path ('https://graph.microsoft.com/v1.0' + '/users'). */
export function buildUrl(baseUrl: string, req: Pick<HttpRequest, 'path' | 'url' | 'query'>): URL {
  const u = req.url !== undefined ? new URL(req.url, baseUrl) : new URL(`${baseUrl.replace(/\/+$/, '')}/${(req.path ?? '').replace(/^\/+/, '')}`);
  for (const [k, v] of Object.entries(req.query ?? {})) {
    if (v === undefined || v === null) continue;
    u.searchParams.delete(k);
    for (const x of Array.isArray(v) ? v : [v]) u.searchParams.append(k, String(x));
  }
  return u;
}

/** The body to send (a string or bytes, so a retry can send it again) and its content type. */
export function buildBody(req: HttpRequest): { body?: string | Uint8Array; contentType?: string } {
  if (req.json !== undefined) return { body: JSON.stringify(req.json), contentType: 'application/json' };
  if (req.form) return { body: new URLSearchParams(req.form).toString(), contentType: 'application/x-www-form-urlencoded' };
  return { body: req.body };
}
