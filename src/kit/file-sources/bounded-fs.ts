import fsp from 'node:fs/promises';
import path from 'node:path';
import { FileDropErrors } from './file-drop-errors.ts';

/**
 * How long one file-system call of a request may take. A dead network mount (or a special file system)
 * can keep a call waiting for ever; the request gives up after this and answers LMC_ERR_FILEDROP_FS_TIMEOUT
 * instead of hanging. (The call itself cannot be cancelled; it finishes or fails in the background.)
 */
export const FS_CALL_TIMEOUT_MS = 10_000;

/**
 * `op` bounded in time: rejects with LMC_ERR_FILEDROP_FS_TIMEOUT when it has not settled after `ms`.
 * @example const names = await bounded(fsp.readdir(dir), `listing ${dir}`);
 */
export async function bounded<T>(op: Promise<T>, what: string, ms = FS_CALL_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(FileDropErrors.FS_TIMEOUT.create({ detail: what })), ms);
  });
  try {
    return await Promise.race([op, late]);
  } finally {
    clearTimeout(timer);
    op.catch(() => undefined); // a call that failed after the timeout must not become an unhandled rejection
  }
}

/**
 * `mkdir -p` one level at a time, each call bounded. Node's own recursive mkdir loops for ever on a path
 * under /proc (mkdir answers ENOENT for a folder that stat says exists), holding a core and a thread of
 * the pool; plain mkdir calls fail instead.
 * @example await mkdirSteps('/srv/drops/acme/import/xapi');
 */
export async function mkdirSteps(abs: string, mode?: number): Promise<void> {
  const missing: string[] = [];
  let probe = path.resolve(abs);
  for (;;) {
    try {
      const st = await bounded(fsp.stat(probe), `reading ${probe}`);
      if (!st.isDirectory()) throw Object.assign(new Error(`${probe} is not a folder`), { code: 'ENOTDIR' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      const up = path.dirname(probe);
      if (up === probe) break;
      missing.unshift(probe);
      probe = up;
    }
  }
  for (const dir of missing) {
    try {
      await bounded(fsp.mkdir(dir, mode === undefined ? undefined : { mode }), `creating ${dir}`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/** A file-system error in words an integration admin can act on (no errno codes). */
export function describeFsError(e: unknown, where: string): string {
  switch ((e as NodeJS.ErrnoException)?.code) {
    case 'ENOENT':
      return `${where} does not exist`;
    case 'ENOTDIR':
      return `${where} is not a folder (or a part of its path is a file)`;
    case 'EACCES':
    case 'EPERM':
      return `the server is not permitted to read and write ${where}`;
    case 'EROFS':
      return `${where} is on a read-only disk`;
    case 'ENOSPC':
      return `the disk holding ${where} is full`;
    default:
      return `${where}: ${(e as Error)?.message ?? String(e)}`;
  }
}
