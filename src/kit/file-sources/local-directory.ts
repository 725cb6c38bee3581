import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { bounded, mkdirSteps } from './bounded-fs.ts';
import { FileDropErrors } from './file-drop-errors.ts';
import { normalizeDropPath, type FileEntry, type FileSource } from './file-source.ts';

/**
 * A file drop in a folder of the server's disk. Every path is confined to the root: '..', absolute paths
 * and symbolic links that resolve outside the root are refused (a symlink inside the drop pointing to
 * /etc must not let an import read it, nor an export overwrite it). Every file-system call is bounded in
 * time (bounded-fs.ts), and folders are made one level at a time (Node's recursive mkdir spins under /proc).
 *
 * @example const src = new LocalDirectorySource('/srv/drops/acme'); await src.write('export/a.csv', 'x\n');
 */
export class LocalDirectorySource implements FileSource {
  readonly root: string;
  private realRoot: string | undefined;

  /**
   * @param opts.checkedRealRoot `root` is a real path already checked (local-drop-roots.ts): it is taken as
   *   is, so that a folder on its way swapped for a link after the check leads nowhere (every path must
   *   still resolve inside it), instead of being resolved again to wherever the link now points.
   */
  constructor(root: string, opts: { checkedRealRoot?: boolean } = {}) {
    this.root = path.resolve(root);
    if (opts.checkedRealRoot) this.realRoot = this.root;
  }

  private async rootReal(): Promise<string> {
    if (!this.realRoot) this.realRoot = await bounded(fsp.realpath(this.root), `resolving ${this.root}`);
    return this.realRoot;
  }

  /** The absolute path of `rel`, after checking it (and its nearest existing ancestor) stays under the root. */
  private async resolve(rel: string): Promise<string> {
    const parts = normalizeDropPath(rel);
    const root = await this.rootReal();
    const abs = path.join(root, ...parts);
    // Follow symlinks on the longest existing prefix: what does not exist yet cannot be a link.
    let probe = abs;
    for (;;) {
      try {
        const real = await bounded(fsp.realpath(probe), `resolving ${rel}`);
        if (real !== root && !real.startsWith(root + path.sep)) throw FileDropErrors.PATH_OUTSIDE_ROOT.create({ detail: rel });
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        const up = path.dirname(probe);
        if (up === probe) break;
        probe = up;
      }
    }
    return abs;
  }

  async list(dir: string): Promise<FileEntry[]> {
    const abs = await this.resolve(dir);
    let names: fs.Dirent[];
    try {
      names = await bounded(fsp.readdir(abs, { withFileTypes: true }), `listing ${dir}`);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return [];
      throw e;
    }
    const base = normalizeDropPath(dir).join('/');
    const out: FileEntry[] = [];
    for (const d of names) {
      if (d.name.startsWith('.lmc-tmp-')) continue; // a write in progress
      const rel = base ? `${base}/${d.name}` : d.name;
      let st: fs.Stats;
      try {
        await this.resolve(rel); // skip links that leave the root
        st = await bounded(fsp.stat(path.join(abs, d.name)), `reading ${rel}`);
      } catch {
        continue;
      }
      out.push({ name: d.name, path: rel, size: st.isDirectory() ? 0 : st.size, modifiedAt: st.mtime, isDirectory: st.isDirectory() });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  async read(rel: string): Promise<Readable> {
    const abs = await this.resolve(rel);
    const fh = await bounded(fsp.open(abs, 'r'), `opening ${rel}`); // fails now (ENOENT, EACCES) rather than on the first read
    // 1 MiB reads: a file of users is read at ~100 MB/s, and 64 KiB reads left the import waiting on them.
    return fh.createReadStream({ highWaterMark: 1 << 20 });
  }

  async write(rel: string, data: Readable | Buffer | string): Promise<void> {
    const abs = await this.resolve(rel);
    await mkdirSteps(path.dirname(abs));
    await this.resolve(rel); // the parents just created must not have been swapped for links
    const tmp = path.join(path.dirname(abs), `.lmc-tmp-${crypto.randomBytes(6).toString('hex')}-${path.basename(abs)}`);
    try {
      const src = typeof data === 'string' || Buffer.isBuffer(data) ? Readable.from([data]) : data;
      await pipeline(src, fs.createWriteStream(tmp, { flags: 'wx' }));
      await bounded(fsp.rename(tmp, abs), `renaming ${rel}`);
    } catch (e) {
      await fsp.rm(tmp, { force: true });
      throw e;
    }
  }

  async remove(rel: string): Promise<void> {
    const abs = await this.resolve(rel);
    await bounded(fsp.rm(abs, { force: true }), `removing ${rel}`);
  }

  async ensureDir(dir: string): Promise<void> {
    const abs = await this.resolve(dir);
    await mkdirSteps(abs);
    await this.resolve(dir);
  }

  async close(): Promise<void> {}
}
