/**
 * Box simulator: a local stand-in for the parts of the Box Platform API the Box connector uses, following
 * Box's published contract:
 *  - token, client credentials grant: https://developer.box.com/reference/post-oauth2-token/ and
 *    https://developer.box.com/guides/authentication/client-credentials/ (box_subject_type enterprise|user)
 *  - folder items, offset and marker paging: https://developer.box.com/reference/get-folders-id-items/ and
 *    https://developer.box.com/guides/api-calls/pagination/
 *  - folder info / create: https://developer.box.com/reference/get-folders-id/, https://developer.box.com/reference/post-folders/
 *  - download (302 to a download URL): https://developer.box.com/reference/get-files-id-content/
 *  - upload, multipart with the "attributes" part BEFORE the "file" part, on the upload host:
 *    https://developer.box.com/reference/post-files-content/
 *  - chunked upload sessions (what the SDK's uploadBigFile calls): https://developer.box.com/guides/uploads/chunked/,
 *    https://developer.box.com/reference/post-files-upload-sessions/, .../put-files-upload-sessions-id/,
 *    .../get-files-upload-sessions-id-parts/, .../post-files-upload-sessions-id-commit/ (Digest: sha=<base64 SHA-1>,
 *    Content-Range: bytes a-b/total, parts of part_size except the last)
 *  - rename / delete: https://developer.box.com/reference/put-files-id/, https://developer.box.com/reference/delete-files-id/
 *  - errors: the client error envelope {type:"error", status, code, message, request_id, help_url, context_info}
 *    https://developer.box.com/reference/resources/client-error/ ; 401 with WWW-Authenticate for a bad or
 *    expired token; 429 "rate_limit_exceeded" with Retry-After:
 *    https://developer.box.com/guides/api-calls/permissions-and-errors/rate-limits/
 * Only what the connector calls is implemented. Tokens, faults and the request log come from the simulator kit
 * (simulators/kit). Fault injection (expired tokens, 429, 5xx, dropped connections, slow answers) is programmatic
 * (`sim.faults`) or over HTTP (POST /_sim/faults) for tests and demos.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createSimApp } from '../kit/app.ts';
import { newRequestId, sendInvalidToken } from '../kit/envelopes.ts';
import { applyFault, type Fault as KitFault } from '../kit/faults.ts';
import { parseFormData } from '../kit/multipart.ts';
import { contractLog, type ContractLog, type ContractTolerance } from '../kit/contract-log.ts';
import { registerTokenEndpoint } from '../kit/oauth.ts';
import { OpenApiContract } from '../kit/openapi-contract.ts';
import { requestLog, type LoggedRequest } from '../kit/request-log.ts';
import { TokenStore } from '../kit/tokens.ts';
import { BoxStore, type BoxItem } from './store.ts';

export interface BoxApp {
  clientId: string;
  clientSecret: string;
  enterpriseId: string;
  /** Users the app may act as with box_subject_type=user. */
  userIds: string[];
}

export interface BoxSimOptions {
  apps?: BoxApp[];
  /** Token lifetime in seconds (Box: about 3600). */
  tokenTtlSeconds?: number;
  /** part_size of chunked upload sessions (Box: 8 MiB for most files). */
  partSize?: number;
  /** Smallest file_size accepted by upload sessions (Box: 20MB). */
  minChunkedBytes?: number;
  /**
   * Check every request and answer against Box's published OpenAPI contract (contract/box-openapi.json);
   * departures are collected in `sim.contract.violations`.
   */
  checkContract?: boolean;
}

/** The simulator kit's faults: '429' | '500' | '503' | 'expire-token' (and 'drop', 'slow', ...). */
export type Fault = KitFault;

export interface BoxSimulator {
  url: string;
  /** The upload host's base (the SDK's uploadUrl): <url>/api. */
  uploadUrl: string;
  store: BoxStore;
  faults: Fault[];
  /** Every API call seen: method, path, status, timing (the simulator kit's request log). */
  calls: LoggedRequest[];
  tokensIssued: number;
  /** Makes every issued token expire now (the next call gets 401). */
  expireAllTokens(): void;
  /** With `checkContract`: what departed from Box's OpenAPI contract. */
  contract?: ContractLog;
  close(): Promise<void>;
}

const DEFAULT_APP: BoxApp = { clientId: 'sim-client-id', clientSecret: 'sim-client-secret', enterpriseId: '1000001', userIds: ['2000001'] };

function boxError(reply: FastifyReply, status: number, code: string, message: string, contextInfo?: Record<string, unknown>) {
  return reply.status(status).send({
    type: 'error',
    status,
    code,
    help_url: 'http://developers.box.com/docs/#errors',
    message,
    request_id: newRequestId(),
    ...(contextInfo ? { context_info: contextInfo } : {}),
  });
}

function mini(i: BoxItem) {
  return { type: i.type, id: i.id, sequence_id: '0', etag: String(i.etag), name: i.name };
}

function full(store: BoxStore, i: BoxItem) {
  const parent = i.parentId ? store.items.get(i.parentId) : undefined;
  const base = {
    ...mini(i),
    created_at: i.createdAt.toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    modified_at: i.modifiedAt.toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    size: i.type === 'file' ? i.content!.length : store.children(i.id).reduce((n, c) => n + (c.content?.length ?? 0), 0),
    parent: parent ? mini(parent) : null,
    item_status: 'active',
  };
  return i.type === 'file' ? { ...base, sha1: store.sha1(i), file_version: { type: 'file_version', id: `v${i.id}-${i.etag}`, sha1: store.sha1(i) } } : base;
}

/** Keeps only the requested `fields` (Box returns the mini representation plus what `fields` asks for). */
function pick(store: BoxStore, i: BoxItem, fields: string | undefined) {
  if (!fields) return mini(i);
  const f = full(store, i) as Record<string, unknown>;
  const out: Record<string, unknown> = mini(i);
  for (const k of fields.split(',')) if (k in f) out[k] = f[k];
  return out;
}

/**
 * Where Box's servers answer otherwise than its OpenAPI document says, the simulator follows the servers (and
 * the contract check says so in `contract.tolerated`).
 */
const BOX_CONTRACT_TOLERANCES: ContractTolerance[] = [
  {
    // The document's `default` answer is a ClientError body; Box answers a bad or expired token with an empty
    // 401 and RFC 6750's WWW-Authenticate header instead (https://developer.box.com/guides/api-calls/permissions-and-errors/common-errors/, 401 unauthorized).
    matches: (v) => v.direction === 'response' && v.call.endsWith('→ 401') && v.where === 'body' && v.message.includes('the answer has none'),
    because: 'Box answers an invalid or expired token with an empty 401 and WWW-Authenticate',
  },
  {
    // ClientError.code's enum leaves out codes Box's error guide documents and its servers send
    // (https://developer.box.com/guides/api-calls/permissions-and-errors/common-errors/: 409 item_name_in_use, 429 rate_limit_exceeded).
    matches: (v) => v.direction === 'response' && v.where === 'body /code' && (v.value === 'item_name_in_use' || v.value === 'rate_limit_exceeded'),
    because: "Box's error guide documents this code; the document's enum of error codes leaves it out",
  },
];

let contractDoc: Record<string, unknown> | undefined;
/** Box's published OpenAPI contract, cut to the operations simulated (see contract/README.md). */
export function boxContract(): OpenApiContract {
  contractDoc ??= JSON.parse(fs.readFileSync(new URL('./contract/box-openapi.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  return new OpenApiContract(contractDoc);
}

/**
 * Starts the simulator on a free loopback port.
 * @example const sim = await startBoxSimulator(); // sim.url → SDK baseUrl, sim.uploadUrl → SDK uploadUrl
 */
export async function startBoxSimulator(opts: BoxSimOptions = {}): Promise<BoxSimulator> {
  const apps = opts.apps ?? [DEFAULT_APP];
  const store = new BoxStore();
  const tokens = new TokenStore({ accessTtlSeconds: opts.tokenTtlSeconds ?? 3600 });
  const faults: Fault[] = [];
  const { app, listen } = createSimApp();
  const log = requestLog(app);
  // /dl/ stands for Box's download host (dl.boxcloud.com), which the API contract does not describe.
  const contract = opts.checkContract ? contractLog(app, boxContract(), { skip: (p) => p.startsWith('/_sim') || p.startsWith('/dl/'), tolerate: BOX_CONTRACT_TOLERANCES }) : undefined;

  /** Injected faults + bearer check; returns false when it already answered. */
  const guard = async (req: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    const answered = await applyFault(faults, req, reply, {
      error: (r, status, headers) => {
        for (const [k, v] of Object.entries(headers)) r.header(k, v);
        if (status === 429) return boxError(r, 429, 'rate_limit_exceeded', 'Request rate limit exceeded, please try again later');
        return boxError(r, status, status === 500 ? 'internal_server_error' : 'unavailable', 'Internal Server Error');
      },
      // Box answers an invalid or expired token with 401, an empty body and WWW-Authenticate.
      unauthorized: (r) => sendInvalidToken(r),
      expireTokens: () => tokens.expireAll(),
    });
    if (answered) return false;
    if (!tokens.check(req.headers.authorization)) {
      sendInvalidToken(reply);
      return false;
    }
    return true;
  };

  // Box answers a bad client with 400 (not RFC 6749's 401), and checks the subject of the grant.
  registerTokenEndpoint(app, {
    clients: apps,
    tokens,
    grants: ['client_credentials'],
    invalidClientStatus: 400,
    checkClientCredentials: (b, a) =>
      (b.box_subject_type === 'enterprise' && b.box_subject_id === a.enterpriseId) || (b.box_subject_type === 'user' && a.userIds.includes(b.box_subject_id))
        ? { subject: `${b.box_subject_type}:${b.box_subject_id}` }
        : { error: 'invalid_grant', description: 'Grant credentials are invalid' },
    extra: () => ({ restricted_to: [], token_type: 'bearer', issued_token_type: 'urn:ietf:params:oauth:token-type:access_token' }),
  });

  app.get('/2.0/folders/:id', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const f = store.items.get((req.params as { id: string }).id);
    if (!f || f.type !== 'folder') return boxError(reply, 404, 'not_found', 'Not Found');
    return full(store, f);
  });

  app.get('/2.0/folders/:id/items', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const f = store.items.get((req.params as { id: string }).id);
    if (!f || f.type !== 'folder') return boxError(reply, 404, 'not_found', 'Not Found');
    const q = req.query as Record<string, string | undefined>;
    const limit = Math.min(Number(q.limit ?? 100), 1000);
    if (!(limit > 0)) return boxError(reply, 400, 'bad_request', 'Invalid value for limit');
    const all = store.children(f.id);
    if (q.usemarker === 'true') {
      const start = q.marker ? Number(Buffer.from(q.marker, 'base64url').toString()) : 0;
      const page = all.slice(start, start + limit);
      const next = start + limit < all.length ? Buffer.from(String(start + limit)).toString('base64url') : null;
      return { entries: page.map((i) => pick(store, i, q.fields)), limit, next_marker: next, prev_marker: null };
    }
    const offset = Number(q.offset ?? 0);
    // Box rejects offsets above 10000 for offset paging (use markers there).
    if (offset > 10000) return boxError(reply, 400, 'bad_request', 'offset too large, use marker-based paging');
    return {
      total_count: all.length,
      entries: all.slice(offset, offset + limit).map((i) => pick(store, i, q.fields)),
      offset,
      limit,
      order: [{ by: 'type', direction: 'ASC' }, { by: 'name', direction: 'ASC' }],
    };
  });

  app.post('/2.0/folders', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const b = req.body as { name?: string; parent?: { id?: string } };
    if (!b?.name || !b.parent?.id) return boxError(reply, 400, 'bad_request', 'name and parent.id are required');
    if (/[/\\]/.test(b.name) || b.name === '.' || b.name === '..') return boxError(reply, 400, 'item_name_invalid', 'Item name invalid');
    const parent = store.items.get(b.parent.id);
    if (!parent || parent.type !== 'folder') return boxError(reply, 404, 'not_found', 'Not Found');
    const c = store.conflict(parent.id, b.name);
    if (c) return boxError(reply, 409, 'item_name_in_use', 'Item with the same name already exists', { conflicts: [mini(c)] });
    return reply.status(201).send(full(store, store.addFolder(parent.id, b.name)));
  });

  const downloads = new Map<string, string>();
  app.get('/2.0/files/:id/content', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const f = store.items.get((req.params as { id: string }).id);
    if (!f || f.type !== 'file') return boxError(reply, 404, 'not_found', 'Not Found');
    // Box answers with a redirect to a short-lived download URL.
    const dl = crypto.randomBytes(12).toString('hex');
    downloads.set(dl, f.id);
    return reply.status(302).header('Location', `${sim.url}/dl/${dl}`).send();
  });
  app.get('/dl/:token', async (req, reply) => {
    const id = downloads.get((req.params as { token: string }).token);
    const f = id ? store.items.get(id) : undefined;
    if (!f) return reply.status(404).send();
    downloads.delete((req.params as { token: string }).token);
    return reply.header('Content-Type', 'application/octet-stream').send(f.content);
  });

  app.post('/api/2.0/files/content', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const parts = parseFormData(req.body as Buffer, String(req.headers['content-type']));
    const ai = parts.findIndex((p) => p.name === 'attributes');
    const fi = parts.findIndex((p) => p.name === 'file');
    // Box: "the attributes part of the body must come before the file part".
    if (ai < 0 || fi < 0 || ai > fi) return boxError(reply, 400, 'bad_request', 'The attributes part must come before the file part');
    let attrs: { name?: string; parent?: { id?: string } };
    try {
      attrs = JSON.parse(parts[ai].data.toString());
    } catch {
      return boxError(reply, 400, 'bad_request', 'attributes is not JSON');
    }
    if (!attrs.name || !attrs.parent?.id) return boxError(reply, 400, 'bad_request', 'attributes.name and attributes.parent.id are required');
    const parent = store.items.get(attrs.parent.id);
    if (!parent || parent.type !== 'folder') return boxError(reply, 404, 'not_found', 'Not Found');
    const c = store.conflict(parent.id, attrs.name);
    if (c) return boxError(reply, 409, 'item_name_in_use', 'Item with the same name already exists', { conflicts: mini(c) });
    const f = store.addFile(parent.id, attrs.name, Buffer.from(parts[fi].data));
    return reply.status(201).send({ total_count: 1, entries: [full(store, f)] });
  });

  app.put('/2.0/files/:id', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const f = store.items.get((req.params as { id: string }).id);
    if (!f || f.type !== 'file') return boxError(reply, 404, 'not_found', 'Not Found');
    const b = (req.body ?? {}) as { name?: string; parent?: { id?: string } };
    const parentId = b.parent?.id ?? f.parentId!;
    const name = b.name ?? f.name;
    const c = store.conflict(parentId, name, f.id);
    if (c) return boxError(reply, 409, 'item_name_in_use', 'Item with the same name already exists', { conflicts: [mini(c)] });
    f.name = name;
    f.parentId = parentId;
    f.etag++;
    f.modifiedAt = new Date();
    return full(store, f);
  });

  app.delete('/2.0/files/:id', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const f = store.items.get((req.params as { id: string }).id);
    if (!f || f.type !== 'file') return boxError(reply, 404, 'not_found', 'Not Found');
    store.items.delete(f.id);
    return reply.status(204).send();
  });

  // Chunked upload sessions.
  const PART_SIZE = opts.partSize ?? 8 * 1024 * 1024;
  const sessions = new Map<string, { folderId: string; name: string; size: number; parts: Map<number, { part_id: string; offset: number; size: number; sha1: string; data: Buffer }> }>();
  const sessionOut = (id: string) => {
    const s = sessions.get(id)!;
    const base = `${sim.uploadUrl}/2.0/files/upload_sessions/${id}`;
    return {
      id,
      type: 'upload_session',
      session_expires_at: new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString(),
      part_size: PART_SIZE,
      total_parts: Math.ceil(s.size / PART_SIZE),
      num_parts_processed: s.parts.size,
      session_endpoints: { upload_part: base, commit: `${base}/commit`, abort: base, list_parts: `${base}/parts`, status: base, log_event: `${base}/log` },
    };
  };
  const sha1b64 = (b: Buffer) => crypto.createHash('sha1').update(b).digest('base64');

  app.post('/api/2.0/files/upload_sessions', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const b = (req.body ?? {}) as { folder_id?: string; file_size?: number; file_name?: string };
    if (!b.folder_id || !b.file_name || !(Number(b.file_size) > 0)) return boxError(reply, 400, 'bad_request', 'folder_id, file_size and file_name are required');
    // "The Chunked Upload API is intended for large files with a minimum size of 20MB" (guides/uploads/chunked).
    if (Number(b.file_size) < (opts.minChunkedBytes ?? 20_000_000)) return boxError(reply, 400, 'bad_request', 'file_size is below the minimum for chunked uploads (20MB)');
    const parent = store.items.get(b.folder_id);
    if (!parent || parent.type !== 'folder') return boxError(reply, 404, 'not_found', 'Not Found');
    const c = store.conflict(parent.id, b.file_name);
    if (c) return boxError(reply, 409, 'item_name_in_use', 'Item with the same name already exists', { conflicts: mini(c) });
    const id = crypto.randomBytes(16).toString('hex').toUpperCase();
    sessions.set(id, { folderId: parent.id, name: b.file_name, size: Number(b.file_size), parts: new Map() });
    return reply.status(201).send(sessionOut(id));
  });

  app.put('/api/2.0/files/upload_sessions/:id', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const s = sessions.get((req.params as { id: string }).id);
    if (!s) return boxError(reply, 404, 'not_found', 'Not Found');
    const data = req.body as Buffer;
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(req.headers['content-range'] ?? ''));
    if (!range || Number(range[3]) !== s.size) return boxError(reply, 416, 'range_not_satisfiable', 'Content-Range is invalid');
    const [start, end] = [Number(range[1]), Number(range[2])];
    const expectedEnd = Math.min(start + PART_SIZE, s.size) - 1;
    if (start % PART_SIZE !== 0 || end !== expectedEnd || data.length !== end - start + 1) return boxError(reply, 416, 'range_not_satisfiable', 'parts must be part_size bytes (the last one the rest)');
    if (String(req.headers.digest ?? '') !== `sha=${sha1b64(data)}`) return boxError(reply, 412, 'precondition_failed', 'The digest does not match the part');
    const part = { part_id: crypto.randomBytes(4).toString('hex').toUpperCase(), offset: start, size: data.length, sha1: crypto.createHash('sha1').update(data).digest('hex'), data };
    s.parts.set(start, part);
    const { data: _d, ...out } = part;
    return { part: out };
  });

  app.get('/api/2.0/files/upload_sessions/:id/parts', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const s = sessions.get((req.params as { id: string }).id);
    if (!s) return boxError(reply, 404, 'not_found', 'Not Found');
    const entries = [...s.parts.values()].sort((a, b) => a.offset - b.offset).map(({ data: _d, ...p }) => p);
    return { entries, limit: 1000, offset: 0, total_count: entries.length };
  });

  app.post('/api/2.0/files/upload_sessions/:id/commit', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const id = (req.params as { id: string }).id;
    const s = sessions.get(id);
    if (!s) return boxError(reply, 404, 'not_found', 'Not Found');
    const listed = ((req.body ?? {}) as { parts?: Array<{ part_id: string; offset: number }> }).parts ?? [];
    const parts = [...s.parts.values()].sort((a, b) => a.offset - b.offset);
    if (listed.length !== parts.length || listed.some((p, i) => p.part_id !== parts[i].part_id)) return boxError(reply, 400, 'bad_request', 'parts do not match the uploaded parts');
    const content = Buffer.concat(parts.map((p) => p.data));
    if (content.length !== s.size) return boxError(reply, 400, 'bad_request', 'the parts do not add up to file_size');
    if (String(req.headers.digest ?? '') !== `sha=${sha1b64(content)}`) return boxError(reply, 422, 'unprocessable_entity', 'The digest does not match the file');
    const c = store.conflict(s.folderId, s.name);
    if (c) return boxError(reply, 409, 'item_name_in_use', 'Item with the same name already exists', { conflicts: mini(c) });
    sessions.delete(id);
    const f = store.addFile(s.folderId, s.name, content);
    return reply.status(201).send({ total_count: 1, entries: [full(store, f)] });
  });

  app.delete('/api/2.0/files/upload_sessions/:id', async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    sessions.delete((req.params as { id: string }).id);
    return reply.status(204).send();
  });

  app.post('/_sim/faults', async (req) => {
    faults.push(req.body as Fault);
    return { queued: faults.length };
  });

  const url = await listen();
  const sim: BoxSimulator = {
    url,
    uploadUrl: `${url}/api`,
    store,
    faults,
    calls: log.entries,
    get tokensIssued() {
      return tokens.issued;
    },
    expireAllTokens: () => tokens.expireAll(),
    contract,
    close: () => app.close(),
  };
  return sim;
}

export { DEFAULT_APP as DEFAULT_BOX_APP };
