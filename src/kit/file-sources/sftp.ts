import crypto from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { SFTPWrapper } from 'ssh2';
import SftpClient from 'ssh2-sftp-client';
import { openSftpReadAhead } from './sftp-read-ahead.ts';
import { FileDropErrors } from './file-drop-errors.ts';
import { normalizeDropPath, type FileEntry, type FileSource } from './file-source.ts';
import type { Logger } from '../../shared/logger.ts';
import type { HostKeyPolicy } from './host-keys.ts';

export interface SftpTarget {
  host: string;
  port: number;
  username: string;
  password?: string;
  privateKey?: string;
  /** Folder on the server holding import/ and export/ ('.' = the login's home). */
  basePath: string;
  hostKeys?: HostKeyPolicy;
  readyTimeoutMs?: number;
  log?: Logger;
}

/**
 * Parses what an admin types as the server: "sftp.example.com", "sftp://sftp.example.com:2022".
 * ftp:// and ftps:// are refused (the spec: Custom FTP works only with SFTP servers).
 */
export function parseSftpHost(input: string, port?: number): { host: string; port: number } {
  const s = input.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(s)?.[1]?.toLowerCase();
  if (scheme && scheme !== 'sftp' && scheme !== 'ssh') {
    if (scheme.startsWith('ftp')) throw FileDropErrors.PLAIN_FTP_REFUSED.create({ detail: `use the server's SFTP address instead of ${scheme}://`, field: 'settings.host' });
    throw FileDropErrors.PLAIN_FTP_REFUSED.create({ detail: `unsupported scheme ${scheme}://`, field: 'settings.host' });
  }
  if (scheme) {
    const u = new URL(s.replace(/^[a-z]+:/i, 'http:'));
    return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : (port ?? 22) };
  }
  return { host: s, port: port ?? 22 };
}

/** The first line a server sends (FTP servers greet with "220 ..."; SSH servers with "SSH-2.0-..."). */
function greeting(host: string, port: number, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve) => {
    let buf = '';
    const sock = net.connect(port, host);
    const done = () => {
      sock.destroy();
      resolve(buf.split(/\r?\n/)[0] ?? '');
    };
    sock.setTimeout(timeoutMs, done);
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      if (buf.includes('\n')) done();
    });
    sock.on('error', done);
    sock.on('close', done);
  });
}

/** Turns ssh2's connection errors into ones an admin can act on. */
async function explainConnectError(e: unknown, t: SftpTarget): Promise<Error> {
  const refusal = t.hostKeys?.refusal();
  if (refusal) return refusal;
  const msg = (e as Error)?.message ?? String(e);
  if (/handshake|identification|protocol|ident/i.test(msg) || t.port === 21) {
    // ssh2 takes lines before "SSH-" for a banner, so an FTP server shows up as a failed handshake.
    const first = await greeting(t.host, t.port);
    if (/^220[ -]/.test(first) || t.port === 21) {
      return FileDropErrors.PLAIN_FTP_REFUSED.create({ detail: `${t.host}:${t.port} answers as an FTP server (${JSON.stringify(first.slice(0, 80))})`, cause: e });
    }
  }
  if (/authentication|auth/i.test(msg)) return FileDropErrors.AUTH_FAILED.create({ detail: `user ${t.username} at ${t.host}:${t.port}`, cause: e });
  return FileDropErrors.CONNECT_FAILED.create({ detail: `${t.host}:${t.port}: ${msg}`, cause: e });
}

/**
 * A file drop on an SFTP server (the customer's own: Custom FTP). Writes are atomic: the file is uploaded
 * under a temporary name in the same folder and then renamed (posix-rename@openssh.com when the server
 * offers it, which replaces an existing file in one step).
 *
 * @example const src = await SftpSource.connect({ host, port: 22, username, password, basePath: '.' });
 */
export class SftpSource implements FileSource {
  private constructor(
    private readonly client: SftpClient,
    private readonly basePath: string,
  ) {}

  /** Connects (host key checked by `hostKeys`); throws LMC_ERR_FILEDROP_* errors naming the cause. */
  static async connect(t: SftpTarget): Promise<SftpSource> {
    // The library's default listeners console.log every end/close; unexpected errors go to our log instead.
    const client = new SftpClient('lmc', {
      error: (e: unknown) => t.log?.warn({ err: (e as Error)?.message, host: t.host }, 'sftp connection error'),
      end: () => undefined,
      close: () => undefined,
    });
    const hostKeys = t.hostKeys;
    try {
      await client.connect({
        host: t.host,
        port: t.port,
        username: t.username,
        ...(t.privateKey ? { privateKey: t.privateKey } : { password: t.password ?? '' }),
        readyTimeout: t.readyTimeoutMs ?? 20_000,
        // Not an interactive session: never fall back to keyboard-interactive prompts.
        tryKeyboard: false,
        ...(hostKeys
          ? {
              hostVerifier: (key: Buffer, cb: (ok: boolean) => void) => {
                hostKeys.verify(key).then(cb, () => cb(false));
              },
            }
          : {}),
      } as SftpClient.ConnectOptions);
    } catch (e) {
      await client.end().catch(() => undefined);
      throw await explainConnectError(e, t);
    }
    return new SftpSource(client, t.basePath || '.');
  }

  private remote(rel: string): string {
    const parts = normalizeDropPath(rel);
    return path.posix.join(this.basePath, ...parts);
  }

  async list(dir: string): Promise<FileEntry[]> {
    const remote = this.remote(dir);
    if ((await this.client.exists(remote)) !== 'd') return [];
    const base = normalizeDropPath(dir).join('/');
    const items = await this.client.list(remote);
    return items
      .filter((i) => !i.name.startsWith('.lmc-tmp-') && (i.type === '-' || i.type === 'd'))
      .map((i) => ({
        name: i.name,
        path: base ? `${base}/${i.name}` : i.name,
        size: i.type === 'd' ? 0 : i.size,
        modifiedAt: new Date(i.modifyTime),
        isDirectory: i.type === 'd',
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async read(rel: string): Promise<Readable> {
    const remote = this.remote(rel);
    if ((await this.client.exists(remote)) !== '-') throw FileDropErrors.PATH_NOT_FOUND.create(rel);
    // Several reads in flight (ssh2-sftp-client's stream has one: a round trip per 32 KB).
    return openSftpReadAhead((this.client as unknown as { sftp: SFTPWrapper }).sftp, remote);
  }

  async write(rel: string, data: Readable | Buffer | string): Promise<void> {
    const remote = this.remote(rel);
    const dir = path.posix.dirname(remote);
    await this.mkdirs(dir);
    const tmp = path.posix.join(dir, `.lmc-tmp-${crypto.randomBytes(6).toString('hex')}-${path.posix.basename(remote)}`);
    const src = typeof data === 'string' ? Buffer.from(data) : data;
    try {
      await this.client.put(src as Buffer | Readable, tmp);
      try {
        await this.client.posixRename(tmp, remote);
      } catch {
        // Servers without posix-rename: plain RENAME fails when the target exists (SFTP v3), so remove it first.
        if (await this.client.exists(remote)) await this.client.delete(remote);
        await this.client.rename(tmp, remote);
      }
    } catch (e) {
      await this.client.delete(tmp, true).catch(() => undefined);
      throw e;
    }
  }

  async remove(rel: string): Promise<void> {
    await this.client.delete(this.remote(rel), true);
  }

  async ensureDir(dir: string): Promise<void> {
    await this.mkdirs(this.remote(dir));
  }

  private async mkdirs(remote: string): Promise<void> {
    if ((await this.client.exists(remote)) === 'd') return;
    await this.client.mkdir(remote, true);
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
