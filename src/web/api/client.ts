import type { paths } from './schema.d.ts';
import { clearSession, loadSession } from './session.ts';

/**
 * A small typed fetch wrapper over the generated OpenAPI types (src/web/api/schema.d.ts).
 * Paths are written as in the OpenAPI document (`/api/v1/connections/{id}`) and filled from `params`, so the
 * request and response types come from the server's zod schemas. A path not (yet) in the document is typed `any`.
 */
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Op<P, M extends Method> = P extends keyof paths ? (M extends keyof paths[P] ? NonNullable<paths[P][M]> : never) : never;
type Json<R> = R extends { content: { 'application/json': infer T } } ? T : unknown;
type Ok<O> = [O] extends [never]
  ? any
  : O extends { responses: infer R }
    ? 200 extends keyof R ? Json<R[200]> : 201 extends keyof R ? Json<R[201]> : 202 extends keyof R ? Json<R[202]> : unknown
    : unknown;
type BodyOf<O> = [O] extends [never] ? any : O extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
type QueryOf<O> = [O] extends [never] ? Record<string, unknown> : O extends { parameters: { query?: infer Q } } ? Q : never;

export interface CallOptions<O> {
  params?: Record<string, string | number>;
  query?: QueryOf<O>;
  body?: BodyOf<O>;
  signal?: AbortSignal;
}

/** An error answered by the API: `{ error: { code, message, field } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The server did not answer at all (down, restarting, or the network is gone): no status, no code. */
export class UnreachableError extends Error {
  constructor(cause: unknown) {
    super('The lmc server could not be reached', { cause });
  }
}

/** fetch, with "no answer" told apart from an answer (fetch throws a bare TypeError for it). */
async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw e;
    throw new UnreachableError(e);
  }
}

function fill(path: string, params: Record<string, string | number> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_, k: string) => {
    if (params[k] === undefined) throw new Error(`missing path parameter ${k} for ${path}`);
    return encodeURIComponent(String(params[k]));
  });
}

function queryString(q: Record<string, unknown> | undefined): string {
  if (!q) return '';
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') sp.set(k, String(v));
  const s = sp.toString();
  return s ? `?${s}` : '';
}

function authHeaders(): Record<string, string> {
  const s = loadSession();
  return s ? { authorization: `Bearer ${s.token}` } : {};
}

async function toError(res: Response): Promise<ApiError> {
  let body: { error?: { code?: string; message?: string; field?: string } } | undefined;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  if (res.status === 401 && loadSession()) {
    // The session expired or was revoked: back to sign-in.
    clearSession();
    window.dispatchEvent(new Event('lmc:signed-out'));
  }
  return new ApiError(res.status, body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? res.statusText, body?.error?.field);
}

async function call(method: Method, path: string, o: CallOptions<any> = {}): Promise<any> {
  const headers: Record<string, string> = { ...authHeaders() };
  let body: BodyInit | undefined;
  if (o.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(o.body);
  } else if (method === 'post' || method === 'put' || method === 'patch') {
    headers['content-type'] = 'application/json';
    body = '{}';
  }
  const res = await send(fill(path, o.params) + queryString(o.query as Record<string, unknown>), { method: method.toUpperCase(), headers, body, signal: o.signal });
  if (!res.ok) throw await toError(res);
  if (res.status === 204) return undefined;
  const type = res.headers.get('content-type') ?? '';
  return type.includes('json') ? res.json() : res.text();
}

export const api = {
  get: <P extends string>(path: P, o?: CallOptions<Op<P, 'get'>>): Promise<Ok<Op<P, 'get'>>> => call('get', path, o),
  post: <P extends string>(path: P, o?: CallOptions<Op<P, 'post'>>): Promise<Ok<Op<P, 'post'>>> => call('post', path, o),
  put: <P extends string>(path: P, o?: CallOptions<Op<P, 'put'>>): Promise<Ok<Op<P, 'put'>>> => call('put', path, o),
  patch: <P extends string>(path: P, o?: CallOptions<Op<P, 'patch'>>): Promise<Ok<Op<P, 'patch'>>> => call('patch', path, o),
  delete: <P extends string>(path: P, o?: CallOptions<Op<P, 'delete'>>): Promise<Ok<Op<P, 'delete'>>> => call('delete', path, o),
};

/** The response body type of a GET path, for component props. */
export type GetResult<P extends string> = Ok<Op<P, 'get'>>;

/**
 * Downloads a file from an authenticated endpoint (error reports, change sets): fetched with the session
 * token, then handed to the browser as a blob so the token never appears in a URL.
 */
export async function download(path: string, params: Record<string, string | number>, fileName: string, query?: Record<string, string>): Promise<void> {
  const res = await send(fill(path, params) + queryString(query), { headers: authHeaders() });
  if (!res.ok) throw await toError(res);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Sends a file's text as a JSON body field, for upload endpoints that take CSV text. */
export async function readFileText(file: File): Promise<string> {
  return file.text();
}
