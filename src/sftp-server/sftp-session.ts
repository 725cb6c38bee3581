import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import ssh2, { type SFTPWrapper } from 'ssh2';
import type { Logger } from '../shared/logger.ts';
import { longname, toAttrs } from './attrs.ts';
import { Jail } from './jail.ts';

const { OPEN_MODE, STATUS_CODE } = ssh2.utils.sftp;

/** Uploads in progress are written under this prefix and renamed on CLOSE: imports never see half a file. */
const UPLOAD_PREFIX = '.lmc-tmp-';
const MAX_HANDLES = 64;
const MAX_READ = 256 * 1024;

type Handle =
  | { kind: 'file'; fh: fsp.FileHandle; virtual: string; tmp?: string; final?: string }
  | { kind: 'dir'; real: string; virtual: string; entries?: string[]; pos: number };

function statusOf(e: unknown): number {
  switch ((e as NodeJS.ErrnoException)?.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return STATUS_CODE.NO_SUCH_FILE;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return STATUS_CODE.PERMISSION_DENIED;
    default:
      return STATUS_CODE.FAILURE;
  }
}

const denied = () => Object.assign(new Error('read-only'), { code: 'EACCES' });

/**
 * Serves one SFTP session of an account, confined to `root` (the account's folder, containing Home/).
 * Implements what OpenSSH's sftp and common GUI clients use: REALPATH, STAT/LSTAT/FSTAT, OPENDIR/READDIR,
 * OPEN/READ/WRITE/CLOSE, REMOVE, RENAME, MKDIR, RMDIR; SETSTAT/FSETSTAT succeed without changing anything
 * (permissions and times are the service's); links and extensions are not offered.
 */
export function serveSftp(sftp: SFTPWrapper, root: string, owner: string, log: Logger): void {
  const jail = new Jail(root);
  const handles = new Map<number, Handle>();
  let next = 1;

  const newHandle = (h: Handle): Buffer | undefined => {
    if (handles.size >= MAX_HANDLES) return undefined;
    const id = next++;
    handles.set(id, h);
    const b = Buffer.alloc(4);
    b.writeUInt32BE(id);
    return b;
  };
  const getHandle = (b: Buffer): Handle | undefined => (b.length === 4 ? handles.get(b.readUInt32BE(0)) : undefined);

  /** Runs a request; any thrown error becomes the matching SFTP status. */
  const run = (reqid: number, what: string, fn: () => Promise<void>) => {
    fn().catch((e: unknown) => {
      log.debug({ err: (e as Error)?.message, what }, 'sftp request failed');
      sftp.status(reqid, statusOf(e));
    });
  };

  sftp.on('REALPATH', (reqid, p) =>
    run(reqid, 'realpath', async () => {
      const v = jail.virtual(p);
      sftp.name(reqid, [{ filename: v, longname: v, attrs: {} as never }]);
    }),
  );

  const stat = (reqid: number, p: string) =>
    run(reqid, 'stat', async () => {
      const j = await jail.resolve(p);
      sftp.attrs(reqid, toAttrs(await fsp.lstat(j.real)));
    });
  sftp.on('STAT', stat);
  sftp.on('LSTAT', stat);

  sftp.on('FSTAT', (reqid, hb) =>
    run(reqid, 'fstat', async () => {
      const h = getHandle(hb);
      if (!h) return sftp.status(reqid, STATUS_CODE.FAILURE);
      sftp.attrs(reqid, toAttrs(h.kind === 'file' ? await h.fh.stat() : await fsp.stat(h.real)));
    }),
  );

  sftp.on('SETSTAT', (reqid, p) =>
    run(reqid, 'setstat', async () => {
      const j = await jail.resolve(p);
      await fsp.lstat(j.real);
      sftp.status(reqid, STATUS_CODE.OK);
    }),
  );
  sftp.on('FSETSTAT', (reqid, hb) => sftp.status(reqid, getHandle(hb) ? STATUS_CODE.OK : STATUS_CODE.FAILURE));

  sftp.on('OPENDIR', (reqid, p) =>
    run(reqid, 'opendir', async () => {
      const j = await jail.resolve(p);
      const st = await fsp.stat(j.real);
      if (!st.isDirectory()) return sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE);
      const hb = newHandle({ kind: 'dir', real: j.real, virtual: j.virtual, pos: 0 });
      if (!hb) return sftp.status(reqid, STATUS_CODE.FAILURE, 'too many open handles');
      sftp.handle(reqid, hb);
    }),
  );

  sftp.on('READDIR', (reqid, hb) =>
    run(reqid, 'readdir', async () => {
      const h = getHandle(hb);
      if (!h || h.kind !== 'dir') return sftp.status(reqid, STATUS_CODE.FAILURE);
      if (!h.entries) h.entries = (await fsp.readdir(h.real)).filter((n) => !n.startsWith(UPLOAD_PREFIX)).sort();
      const names = [];
      while (h.pos < h.entries.length && names.length < 100) {
        const name = h.entries[h.pos++];
        const st = await fsp.lstat(path.join(h.real, name)).catch(() => undefined);
        if (!st || st.isSymbolicLink() || !(st.isFile() || st.isDirectory())) continue; // links are not followed
        names.push({ filename: name, longname: longname(name, st, owner), attrs: toAttrs(st) });
      }
      if (names.length === 0) return sftp.status(reqid, STATUS_CODE.EOF);
      sftp.name(reqid, names);
    }),
  );

  sftp.on('OPEN', (reqid, p, flags) =>
    run(reqid, 'open', async () => {
      const j = await jail.resolve(p);
      const mode = ssh2.utils.sftp.flagsToString(flags);
      if (!mode) return sftp.status(reqid, STATUS_CODE.BAD_MESSAGE);
      const writing = (flags & (OPEN_MODE.WRITE | OPEN_MODE.APPEND | OPEN_MODE.CREAT | OPEN_MODE.TRUNC)) !== 0;
      if (writing && !j.writable) throw denied();
      const existing = await fsp.lstat(j.real).catch(() => undefined);
      if (existing && !existing.isFile()) return sftp.status(reqid, STATUS_CODE.FAILURE, 'not a regular file');
      let h: Handle;
      if (writing && flags & OPEN_MODE.TRUNC && flags & OPEN_MODE.CREAT && !(flags & OPEN_MODE.READ)) {
        // A whole-file upload: write beside it under a hidden name, rename on CLOSE.
        if (flags & OPEN_MODE.EXCL && existing) return sftp.status(reqid, STATUS_CODE.FAILURE, 'file exists');
        await fsp.stat(path.dirname(j.real)); // the folder must exist (ENOENT otherwise)
        const tmp = path.join(path.dirname(j.real), `${UPLOAD_PREFIX}${crypto.randomBytes(6).toString('hex')}-${path.basename(j.real)}`);
        h = { kind: 'file', fh: await fsp.open(tmp, 'wx', 0o640), virtual: j.virtual, tmp, final: j.real };
      } else {
        h = { kind: 'file', fh: await fsp.open(j.real, mode, 0o640), virtual: j.virtual };
      }
      const hb = newHandle(h);
      if (!hb) {
        await h.fh.close();
        if (h.tmp) await fsp.rm(h.tmp, { force: true });
        return sftp.status(reqid, STATUS_CODE.FAILURE, 'too many open handles');
      }
      sftp.handle(reqid, hb);
    }),
  );

  sftp.on('READ', (reqid, hb, offset, length) =>
    run(reqid, 'read', async () => {
      const h = getHandle(hb);
      if (!h || h.kind !== 'file') return sftp.status(reqid, STATUS_CODE.FAILURE);
      const buf = Buffer.alloc(Math.min(length, MAX_READ));
      const { bytesRead } = await h.fh.read(buf, 0, buf.length, offset);
      if (bytesRead === 0) return sftp.status(reqid, STATUS_CODE.EOF);
      sftp.data(reqid, buf.subarray(0, bytesRead));
    }),
  );

  sftp.on('WRITE', (reqid, hb, offset, data) =>
    run(reqid, 'write', async () => {
      const h = getHandle(hb);
      if (!h || h.kind !== 'file') return sftp.status(reqid, STATUS_CODE.FAILURE);
      await h.fh.write(data, 0, data.length, offset);
      sftp.status(reqid, STATUS_CODE.OK);
    }),
  );

  sftp.on('CLOSE', (reqid, hb) =>
    run(reqid, 'close', async () => {
      const h = getHandle(hb);
      if (!h) return sftp.status(reqid, STATUS_CODE.FAILURE);
      handles.delete(hb.readUInt32BE(0));
      if (h.kind === 'file') {
        await h.fh.close();
        if (h.tmp && h.final) await fsp.rename(h.tmp, h.final);
      }
      sftp.status(reqid, STATUS_CODE.OK);
    }),
  );

  sftp.on('REMOVE', (reqid, p) =>
    run(reqid, 'remove', async () => {
      const j = await jail.resolve(p);
      if (!j.writable) throw denied();
      await fsp.unlink(j.real);
      sftp.status(reqid, STATUS_CODE.OK);
    }),
  );

  sftp.on('RMDIR', (reqid, p) =>
    run(reqid, 'rmdir', async () => {
      const j = await jail.resolve(p);
      if (!j.writable) throw denied();
      await fsp.rmdir(j.real);
      sftp.status(reqid, STATUS_CODE.OK);
    }),
  );

  sftp.on('MKDIR', (reqid, p) =>
    run(reqid, 'mkdir', async () => {
      const j = await jail.resolve(p);
      if (!j.writable) throw denied();
      await fsp.mkdir(j.real, { mode: 0o750 });
      sftp.status(reqid, STATUS_CODE.OK);
    }),
  );

  sftp.on('RENAME', (reqid, from, to) =>
    run(reqid, 'rename', async () => {
      const a = await jail.resolve(from);
      const b = await jail.resolve(to);
      if (!a.writable || !b.writable) throw denied();
      await fsp.lstat(a.real);
      // SFTP v3: RENAME does not overwrite.
      if (await fsp.lstat(b.real).then(() => true, () => false)) return sftp.status(reqid, STATUS_CODE.FAILURE, 'target exists');
      await fsp.rename(a.real, b.real);
      sftp.status(reqid, STATUS_CODE.OK);
    }),
  );

  for (const ev of ['READLINK', 'SYMLINK'] as const) sftp.on(ev, (reqid: number) => sftp.status(reqid, STATUS_CODE.OP_UNSUPPORTED));
  sftp.on('EXTENDED', (reqid) => sftp.status(reqid, STATUS_CODE.OP_UNSUPPORTED));

  // The client's EOF ends the session: close the channel, or the client waits for it forever.
  sftp.on('end', () => sftp.end());

  // A dropped connection must not leave descriptors open nor half uploads behind.
  sftp.on('close', () => {
    for (const h of handles.values()) {
      if (h.kind !== 'file') continue;
      void h.fh.close().catch(() => undefined);
      if (h.tmp) void fs.promises.rm(h.tmp, { force: true });
    }
    handles.clear();
  });
}
