import fsp from 'node:fs/promises';
import path from 'node:path';

/** Where a client's path lands: the virtual path it sees, the real path on disk, and whether it may be changed. */
export interface JailedPath {
  /** Always absolute, normalised, within "/" (".." at the top stays at "/"). */
  virtual: string;
  real: string;
  /** Only what is below /Home may be created, written, renamed or removed. */
  writable: boolean;
}

export const HOME = '/Home';

/**
 * Confines an account's SFTP session to its folder: the client's paths are resolved against /Home (the
 * start folder) on a virtual "/" that is the account's folder. Nothing outside is reachable: ".." cannot
 * climb above "/", absolute paths are re-rooted, and any symbolic link on the way is refused (clients
 * cannot make links: SYMLINK is not offered; links made on the disk by someone else are not followed).
 */
export class Jail {
  private realRoot: string | undefined;
  constructor(readonly root: string) {}

  private async rootReal(): Promise<string> {
    if (!this.realRoot) this.realRoot = await fsp.realpath(this.root);
    return this.realRoot;
  }

  /** Virtual path of what the client sent ('' and '.' are the start folder). */
  virtual(p: string): string {
    if (p.includes('\0')) throw Object.assign(new Error('NUL in path'), { code: 'EACCES' });
    return path.posix.resolve(HOME, p.replace(/\\/g, '/') || '.');
  }

  /** Resolves a client path; throws (code EACCES) when a symbolic link is on the way. */
  async resolve(p: string): Promise<JailedPath> {
    const virtual = this.virtual(p);
    const root = await this.rootReal();
    const real = virtual === '/' ? root : path.join(root, ...virtual.split('/').filter(Boolean));
    // The longest existing prefix must be its own real path: any symlink in it would differ.
    let probe = real;
    for (;;) {
      try {
        const r = await fsp.realpath(probe);
        if (r !== probe) throw Object.assign(new Error(`symbolic link refused: ${virtual}`), { code: 'EACCES' });
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        if (probe === root) break;
        probe = path.dirname(probe);
      }
    }
    return { virtual, real, writable: virtual.startsWith(HOME + '/') };
  }
}
