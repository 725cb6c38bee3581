import type fs from 'node:fs';

/** SFTP ATTRS of a file, from fs.Stats (times in seconds). */
export function toAttrs(st: fs.Stats) {
  return {
    mode: st.mode,
    uid: 0,
    gid: 0,
    size: st.size,
    atime: Math.floor(st.atimeMs / 1000),
    mtime: Math.floor(st.mtimeMs / 1000),
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function perms(mode: number): string {
  const t = (mode & 0o170000) === 0o040000 ? 'd' : (mode & 0o170000) === 0o120000 ? 'l' : '-';
  let s = t;
  for (const shift of [6, 3, 0]) {
    const b = (mode >> shift) & 7;
    s += (b & 4 ? 'r' : '-') + (b & 2 ? 'w' : '-') + (b & 1 ? 'x' : '-');
  }
  return s;
}

/** The `ls -l` line OpenSSH's sftp prints for READDIR entries. */
export function longname(name: string, st: fs.Stats, owner: string): string {
  const d = st.mtime;
  const recent = Date.now() - d.getTime() < 180 * 24 * 3600 * 1000;
  const when = `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2)} ${recent ? `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}` : ` ${d.getFullYear()}`}`;
  const o = owner.slice(0, 8).padEnd(8);
  return `${perms(st.mode)}    1 ${o} ${o} ${String(st.size).padStart(8)} ${when} ${name}`;
}
