import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BoxCcgAuth, BoxClient, CcgConfig } from 'box-node-sdk';
import { BoxApiError } from 'box-node-sdk/box/errors';
import { BaseUrls, BoxRetryStrategy, NetworkSession, type FetchOptions, type FetchResponse } from 'box-node-sdk/networking/index';
import { retryDelayMs } from '../http/retry-policy.ts';
import { FileDropErrors } from './file-drop-errors.ts';
import { normalizeDropPath, type FileEntry, type FileSource } from './file-source.ts';

export interface BoxTarget {
  clientId: string;
  clientSecret: string;
  /** The client credentials grant acts as the enterprise's service account, or as this user. */
  enterpriseId?: string;
  userId?: string;
  /** The Box folder holding import/ and export/ ('0' = the subject's "All Files"). */
  rootFolderId: string;
  /** Box's hosts by default; a simulator's in tests and demos. */
  apiBaseUrl?: string;
  uploadBaseUrl?: string;
  /** Seconds; the first retry of a 5xx waits about this long, doubling (tests use a small value). */
  retryBaseSeconds?: number;
  maxAttempts?: number;
  /** Files from this size on use a chunked upload session (default 20 MB, Box's minimum for it). */
  chunkedFromBytes?: number;
}

/**
 * The SDK's retry strategy (429, 5xx, 401 → refresh the token and retry) with the kit's one retry policy for
 * the wait (kit/http/retry-policy.ts): the server's Retry-After (seconds or HTTP-date), else full-jitter
 * backoff from `retryBaseSeconds`, at most 120 s. (box-node-sdk 10.x looks the header up as "Retry-After"
 * in a headers object whose keys fetch has lower-cased, so on its own it never honours it.)
 */
class KitRetryPolicyStrategy extends BoxRetryStrategy {
  override retryAfter(_o: FetchOptions, r: FetchResponse, attempt: number): number {
    // 401: the token was just refreshed (shouldRetry did it), nothing to wait for.
    if (r.status === 401) return 0;
    return retryDelayMs(attempt, r.headers, { baseMs: this.retryBaseInterval * 1000, maxMs: 120_000 }).ms / 1000;
  }
}

/** Box's default hosts (https://developer.box.com/guides/api-calls/). */
export const BOX_API = 'https://api.box.com';
export const BOX_UPLOAD = 'https://upload.box.com/api';

/** An authenticated Box SDK client pointed at `t.apiBaseUrl` (the SDK supports custom base URLs). */
export function boxClient(t: BoxTarget): BoxClient {
  const auth = new BoxCcgAuth({ config: new CcgConfig({ clientId: t.clientId, clientSecret: t.clientSecret, ...(t.userId ? { userId: t.userId } : { enterpriseId: t.enterpriseId }) }) });
  const base = (t.apiBaseUrl ?? BOX_API).replace(/\/+$/, '');
  const networkSession = new NetworkSession({
    baseUrls: new BaseUrls({ baseUrl: base, uploadUrl: (t.uploadBaseUrl ?? (t.apiBaseUrl ? `${base}/api` : BOX_UPLOAD)).replace(/\/+$/, ''), oauth2Url: `${base}/api/oauth2` }),
    retryStrategy: new KitRetryPolicyStrategy({ maxAttempts: t.maxAttempts ?? 5, retryBaseInterval: t.retryBaseSeconds ?? 1 }),
  });
  return new BoxClient({ auth, networkSession });
}

/** Turns the SDK's errors into ours (status, Box's code and request id kept in the message). */
function explain(e: unknown, what: string): Error {
  if (e instanceof BoxApiError) {
    const r = e.responseInfo;
    const url = e.requestInfo?.url ?? '';
    if (url.endsWith('/oauth2/token')) return FileDropErrors.BOX_AUTH_FAILED.create({ detail: `${r.statusCode} ${(r.body as { error_description?: string })?.error_description ?? r.code ?? ''}`.trim(), cause: e });
    return FileDropErrors.BOX_API.create({ detail: `${what}: ${r.statusCode} ${r.code ?? ''} ${(r.body as { message?: string } | undefined)?.message ?? ''}${r.requestId ? ` (request id ${r.requestId})` : ''}`.replace(/\s+/g, ' ').trim(), data: { status: r.statusCode, code: r.code }, cause: e });
  }
  if (e && typeof e === 'object' && 'code' in e && String((e as { code: string }).code).startsWith('LMC_ERR_')) return e as unknown as Error;
  return FileDropErrors.BOX_API.create({ detail: `${what}: ${(e as Error)?.message ?? String(e)}`, cause: e });
}

/** Box names are case-insensitive within a folder. */
const fileKey = (rel: string) => normalizeDropPath(rel).join('/').toLowerCase();

const isConflict = (e: unknown) => e instanceof BoxApiError && e.responseInfo.statusCode === 409;

interface BoxEntry {
  type: string;
  id: string;
  name: string;
  size?: number;
  modifiedAt?: { value: Date };
}

/**
 * A file drop in a Box folder (the Box connector): paths below the configured root folder are resolved to
 * Box ids by name, one folder level at a time (ids cached per source). Listing pages with markers. Writes
 * upload under a temporary name, then rename it (PUT /files/:id {name}); an existing file of that name is
 * deleted just before the rename, so readers see either the old or the new file, never a partial one.
 *
 * @example const src = new BoxSource({ clientId, clientSecret, enterpriseId, rootFolderId: '0' }); await src.list('import/user/internal');
 */
export class BoxSource implements FileSource {
  readonly client: BoxClient;
  private readonly folders = new Map<string, string>();
  /** File ids by lower-cased path, remembered from list() and write(). */
  private readonly fileIds = new Map<string, string>();

  constructor(private readonly t: BoxTarget) {
    this.client = boxClient(t);
    this.folders.set('', t.rootFolderId);
  }

  /** Every entry of a folder, following next_marker. */
  private async items(folderId: string): Promise<BoxEntry[]> {
    const out: BoxEntry[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await this.client.folders.getFolderItems(folderId, { queryParams: { fields: ['name', 'size', 'modified_at'], usemarker: true, limit: 1000, ...(marker ? { marker } : {}) } });
      for (const e of page.entries ?? []) out.push(e as unknown as BoxEntry);
      if (!page.nextMarker) return out;
      marker = page.nextMarker;
    }
  }

  /** The id of the folder at `parts` (undefined when missing, unless `create`). */
  private async folderId(parts: string[], create: boolean): Promise<string | undefined> {
    let key = '';
    let id = this.folders.get('')!;
    for (const name of parts) {
      const next = key ? `${key}/${name}` : name;
      let childId = this.folders.get(next);
      if (!childId) {
        const found = (await this.items(id)).find((e) => e.type === 'folder' && e.name.toLowerCase() === name.toLowerCase());
        childId = found?.id;
        if (!childId && !create) return undefined;
        if (!childId) {
          try {
            childId = (await this.client.folders.createFolder({ name, parent: { id } })).id;
          } catch (e) {
            if (!isConflict(e)) throw e;
            // Created meanwhile by someone else: use theirs.
            childId = (await this.items(id)).find((x) => x.type === 'folder' && x.name.toLowerCase() === name.toLowerCase())?.id;
            if (!childId) throw e;
          }
        }
        this.folders.set(next, childId);
      }
      key = next;
      id = childId;
    }
    return id;
  }

  private async fileId(rel: string): Promise<string | undefined> {
    const parts = normalizeDropPath(rel);
    const name = parts.pop();
    if (!name) throw FileDropErrors.PATH_NOT_FOUND.create(rel);
    const parentId = await this.folderId(parts, false);
    if (!parentId) return undefined;
    const entry = (await this.items(parentId)).find((e) => e.type === 'file' && e.name.toLowerCase() === name.toLowerCase());
    if (entry) this.fileIds.set(fileKey(rel), entry.id);
    return entry?.id;
  }

  /**
   * Runs `fn` on the file's id: the one remembered from the last list() when there is one (an import reads
   * every listed file: looking each up again would list the folder once per file), else looked up; a
   * remembered id that Box no longer knows (the file was replaced meanwhile) is looked up again once.
   */
  private async withFile<T>(rel: string, fn: (id: string) => Promise<T>): Promise<T> {
    const cached = this.fileIds.get(fileKey(rel));
    if (cached) {
      try {
        return await fn(cached);
      } catch (e) {
        if (!(e instanceof BoxApiError && e.responseInfo.statusCode === 404)) throw e;
        this.fileIds.delete(fileKey(rel));
      }
    }
    const id = await this.fileId(rel);
    if (!id) throw FileDropErrors.PATH_NOT_FOUND.create(rel);
    return fn(id);
  }

  async list(dir: string): Promise<FileEntry[]> {
    try {
      const parts = normalizeDropPath(dir);
      const id = await this.folderId(parts, false);
      if (!id) return [];
      const base = parts.join('/');
      const items = await this.items(id);
      for (const e of items) if (e.type === 'file') this.fileIds.set(fileKey(base ? `${base}/${e.name}` : e.name), e.id);
      return items
        .filter((e) => (e.type === 'file' || e.type === 'folder') && !e.name.startsWith('.lmc-tmp-'))
        .map((e) => ({
          name: e.name,
          path: base ? `${base}/${e.name}` : e.name,
          size: e.type === 'file' ? (e.size ?? 0) : 0,
          modifiedAt: e.modifiedAt?.value ?? new Date(0),
          isDirectory: e.type === 'folder',
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
    } catch (e) {
      throw explain(e, `list ${dir}`);
    }
  }

  async read(rel: string): Promise<Readable> {
    try {
      const stream = await this.withFile(rel, (id) => this.client.downloads.downloadFile(id));
      if (!stream) throw FileDropErrors.BOX_API.create({ detail: `${rel} is not ready for download yet (202)` });
      return stream as unknown as Readable;
    } catch (e) {
      throw explain(e, `read ${rel}`);
    }
  }

  async write(rel: string, data: Readable | Buffer | string): Promise<void> {
    try {
      const parts = normalizeDropPath(rel);
      const name = parts.pop();
      if (!name) throw FileDropErrors.PATH_NOT_FOUND.create(rel);
      const parentId = (await this.folderId(parts, true))!;
      const tmp = `.lmc-tmp-${crypto.randomBytes(6).toString('hex')}-${name}`;
      const newId = await this.upload(parentId, tmp, data);
      try {
        const existing = (await this.items(parentId)).find((e) => e.type === 'file' && e.name.toLowerCase() === name.toLowerCase());
        if (existing) await this.client.files.deleteFileById(existing.id);
        await this.client.files.updateFileById(newId, { requestBody: { name } });
        this.fileIds.set(fileKey(rel), newId);
      } catch (e) {
        await this.client.files.deleteFileById(newId).catch(() => undefined);
        throw e;
      }
    } catch (e) {
      throw explain(e, `write ${rel}`);
    }
  }

  /**
   * Uploads a new file and returns its id. The SDK buffers a request body (to resend it on retry), so a
   * stream is first spooled to a temporary file; from `chunkedFromBytes` on (default 20 MB, Box's minimum
   * for chunked uploads) it goes through an upload session part by part (memory: one part, 8 MiB on Box).
   */
  private async upload(parentId: string, name: string, data: Readable | Buffer | string): Promise<string> {
    const threshold = this.t.chunkedFromBytes ?? 20_000_000;
    if (typeof data === 'string' || Buffer.isBuffer(data)) {
      const buf = Buffer.from(data);
      if (buf.length >= threshold) return (await this.client.chunkedUploads.uploadBigFile(Readable.from([buf]), name, buf.length, parentId)).id;
      return (await this.client.uploads.uploadFile({ attributes: { name, parent: { id: parentId } }, file: Readable.from([buf]) })).entries![0].id;
    }
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'lmc-box-'));
    const spool = path.join(dir, 'upload');
    try {
      await pipeline(data, fs.createWriteStream(spool));
      const size = (await fsp.stat(spool)).size;
      if (size >= threshold) return (await this.client.chunkedUploads.uploadBigFile(fs.createReadStream(spool), name, size, parentId)).id;
      return (await this.client.uploads.uploadFile({ attributes: { name, parent: { id: parentId } }, file: fs.createReadStream(spool) })).entries![0].id;
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  }

  async remove(rel: string): Promise<void> {
    try {
      await this.withFile(rel, (id) => this.client.files.deleteFileById(id));
      this.fileIds.delete(fileKey(rel));
    } catch (e) {
      if (FileDropErrors.PATH_NOT_FOUND.is(e)) return; // already gone
      throw explain(e, `remove ${rel}`);
    }
  }

  async ensureDir(dir: string): Promise<void> {
    try {
      await this.folderId(normalizeDropPath(dir), true);
    } catch (e) {
      throw explain(e, `create folder ${dir}`);
    }
  }

  /** Checks the credentials and the root folder; returns the folder's name. */
  async describeRoot(): Promise<string> {
    try {
      const f = await this.client.folders.getFolderById(this.t.rootFolderId);
      return f.name ?? this.t.rootFolderId;
    } catch (e) {
      throw explain(e, `open folder ${this.t.rootFolderId}`);
    }
  }

  async close(): Promise<void> {}
}
