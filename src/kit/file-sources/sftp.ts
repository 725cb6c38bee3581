import crypto from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { SFTPWrapper } from 'ssh2';
import SftpClient from 'ssh2-sftp-client';
import { resolveOutboundTarget } from '../outbound-targets.ts';
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
  /**
   * The operator's rule for private addresses (Config.outboundAllowPrivate, see outbound-targets.ts);
   * when set, the host is resolved and checked first and the checked address is the one connected to.
   */
  allowPrivate?: boolean | string[];
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
  // An IPv6 address may be typed in brackets, as in a URL: "[2001:db8::5]".
  return { host: s.replace(/^\[(.*)\]$/, '$1'), port: port ?? 22 };
}

/**
 * Turns ssh2's connection errors into ones an admin can act on. Every failure to reach an SSH server
 * (refused, timed out, not answering SSH, FTP or any other service, unknown name) gets the same message,
 * so that the connection test cannot be used to tell open ports from closed ones; the real cause goes to
 * the server's log for the operator.
 */
function explainConnectError(e: unknown, t: SftpTarget): Error {
  const refusal = t.hostKeys?.refusal();
  if (refusal) return refusal;
  const msg = (e as Error)?.message ?? String(e);
  if (/authentication methods failed|auth/i.test(msg)) return FileDropErrors.AUTH_FAILED.create({ detail: `user ${t.username} at ${t.host}:${t.port}`, cause: e });
  t.log?.info({ err: msg, host: t.host, port: t.port }, 'sftp: could not reach an SSH server');
  return unreachable(t);
}

const unreachable = (t: { host: string; port: number }) =>
  FileDropErrors.CONNECT_FAILED.create({ detail: `${t.host}:${t.port} (check the host name and port; only SFTP servers work, not plain FTP)` });

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
    let address = t.host;
    if (t.allowPrivate !== undefined) {
      const target = await resolveOutboundTarget(t.host, t.allowPrivate);
      if (!target.ok && target.reason === 'not-allowed') throw FileDropErrors.TARGET_NOT_ALLOWED.create({ detail: `${t.host} (use the server's public address, or ask the operator to allow this one)`, field: 'settings.host' });
      if (!target.ok) throw unreachable(t);
      address = target.address;
    }
    try {
      await client.connect({
        host: address,
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
      throw explainConnectError(e, t);
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
