import type { Readable } from 'node:stream';

/** One entry of a file drop listing. `path` is relative to the drop's root, '/'-separated. */
export interface FileEntry {
  name: string;
  path: string;
  size: number;
  modifiedAt: Date;
  isDirectory: boolean;
}

/**
 * A file drop laid out like the spec's FTP folders; paths are relative to its root, '/'-separated.
 * Implementations: local-directory.ts (a folder on the server), sftp.ts, box.ts.
 *
 * @example
 *   const fs = await rc.files();
 *   for (const f of await fs.list(FOLDERS.importUsers)) if (!f.isDirectory) await consume(await fs.read(f.path));
 */
export interface FileSource {
  /** The entries of `dir` (not recursive); [] when the dir does not exist. */
  list(dir: string): Promise<FileEntry[]>;
  read(path: string): Promise<Readable>;
  /** Atomic: written under a temporary name in the same dir, then renamed; readers never see half a file. */
  write(path: string, data: Readable | Buffer | string): Promise<void>;
  remove(path: string): Promise<void>;
  /** Creates `dir` and its parents when missing. */
  ensureDir(dir: string): Promise<void>;
  close(): Promise<void>;
}

/** The spec's folder layout of a file drop (hosted FTP, custom FTP, Box, local directory). */
export const FOLDERS = { importUsers: 'import/user/internal', importXapi: 'import/xapi', export: 'export' } as const;

/** Splits and checks a relative drop path: no '..', no absolute path, no empty or NUL segments. */
export function normalizeDropPath(p: string): string[] {
  if (typeof p !== 'string' || p.includes('\0')) throw new Error(`invalid path: ${JSON.stringify(p)}`);
  if (p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:/.test(p)) throw new Error(`absolute paths are not allowed: ${p}`);
  const parts = p.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  if (parts.some((s) => s === '..')) throw new Error(`'..' is not allowed in a path: ${p}`);
  return parts;
}
