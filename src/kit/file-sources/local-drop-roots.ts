import fsp from 'node:fs/promises';
import { sql } from 'kysely';
import path from 'node:path';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { bounded, describeFsError, mkdirSteps } from './bounded-fs.ts';
import { FileDropErrors } from './file-drop-errors.ts';

/**
 * Where a local-directory connection may keep its files. An integration admin types a folder of the
 * server's disk; without these checks any account could read (and, on a real run, delete) another
 * account's hosted SFTP files, or list the product's own secret key. So the folder, resolved with
 * realpath (symbolic links followed), must be:
 * - inside <dataDir>/drops/<account> (always allowed), or inside a folder the operator listed in
 *   LMC_LOCAL_DROP_ROOTS ("{account}" in an entry stands for the account's id);
 * - never the data directory nor inside it (save the account's own drops folder), nor a folder holding it;
 * - never a folder that holds, or sits inside, another account's local-directory drop;
 * - never on a special file system (/proc, /sys, /dev...): Node's recursive mkdir spins for ever under /proc.
 * The check runs when a connection is saved and again each time its files are opened (a run, a listing),
 * so a folder later swapped for a link that leads elsewhere is refused then.
 */

/** Folders that hold kernel interfaces, not files. */
const SYSTEM_TREES = ['/proc', '/sys', '/dev'];

/** statfs types (linux/magic.h) of file systems that are kernel interfaces, whatever their mount point. */
const SPECIAL_FS_TYPES = new Set([
  0x9fa0, // proc
  0x62656572, // sysfs
  0x1cd1, // devpts
  0x27e0eb, // cgroup
  0x63677270, // cgroup2
  0x64626720, // debugfs
  0x74726163, // tracefs
  0x73636673, // securityfs
  0xcafe4a11, // bpf
  0x6165676c, // pstore
  0x62656570, // configfs
  0x65735543, // fusectl
  0x19800202, // mqueue
  0x6e736673, // nsfs
  0xde5e81e4, // efivarfs
  0x42494e4d, // binfmt_misc
  0xf97cff8c, // selinuxfs
]);

const within = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
const overlaps = (a: string, b: string) => within(a, b) || within(b, a);

interface Resolved {
  /** The real path of the folder (real path of its nearest existing ancestor, plus the missing rest). */
  real: string;
  /** The nearest existing ancestor (or the folder itself), real. */
  existing: string;
}

/** realpath of a folder that may not exist yet: its nearest existing ancestor is resolved. */
async function resolveReal(p: string): Promise<Resolved> {
  let probe = path.resolve(p);
  const rest: string[] = [];
  for (;;) {
    try {
      const existing = await bounded(fsp.realpath(probe), `resolving ${probe}`);
      return { real: path.join(existing, ...rest), existing };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw FileDropErrors.LOCAL_ROOT_UNUSABLE.create({ detail: describeFsError(e, p), field: 'settings.root', cause: e });
      const up = path.dirname(probe);
      if (up === probe) return { real: path.join(probe, ...rest), existing: probe };
      rest.unshift(path.basename(probe));
      probe = up;
    }
  }
}

/** The folders this account may use, as the operator configured them (real paths). */
export async function allowedLocalDropFolders(config: Config, accountId: number): Promise<string[]> {
  const own = path.join(config.dataDir, 'drops', String(accountId));
  const listed = config.localDropRoots.map((r) => r.replaceAll('{account}', String(accountId))).filter((r) => path.isAbsolute(r));
  return Promise.all([own, ...listed].map(async (r) => (await resolveReal(r)).real));
}

/**
 * Checks a local-directory root against the rules above and returns its real path (what the drop must
 * use from then on). Throws LMC_ERR_FILEDROP_LOCAL_ROOT_NOT_ALLOWED naming the allowed folders.
 * @example const real = await checkLocalDropRoot(ctx.db, ctx.config, accountId, '/srv/drops/acme');
 */
export async function checkLocalDropRoot(db: Database, config: Config, accountId: number, root: string): Promise<string> {
  const refuse = (why: string) => FileDropErrors.LOCAL_ROOT_NOT_ALLOWED.create({ detail: `${root}: ${why}`, field: 'settings.root' });
  if (!path.isAbsolute(root)) throw refuse('give the full path of a folder on the server');
  const { real, existing } = await resolveReal(root);
  if (SYSTEM_TREES.some((t) => within(real, t))) throw refuse('system folders (/proc, /sys, /dev) cannot hold files');
  const fs = await bounded(fsp.statfs(existing), `reading ${existing}`);
  if (SPECIAL_FS_TYPES.has(fs.type)) throw refuse('this folder is on a system file system, which cannot hold files');

  const allowed = await allowedLocalDropFolders(config, accountId);
  const [own] = allowed;
  if (!within(real, own)) {
    const dataDir = (await resolveReal(config.dataDir)).real;
    if (overlaps(real, dataDir)) throw refuse(`the product's own data folder cannot be used; use ${own} or a folder inside it`);
    if (!allowed.some((a) => within(real, a))) throw refuse(`use a folder inside ${allowed.join(' or ')} (the operator of this hub sets which folders are allowed)`);
  }
  const others = await db
    .selectFrom('connections')
    .select(sql<string | null>`settings->>'root'`.as('root'))
    .where('connector_id', '=', 'local-directory')
    .where('account_id', '!=', accountId)
    .where('deleted_at', 'is', null)
    .execute();
  for (const o of others) {
    if (typeof o.root !== 'string' || !path.isAbsolute(o.root)) continue;
    if (overlaps(real, (await resolveReal(o.root)).real)) throw refuse("another account's file drop uses this folder, or a folder inside it or holding it");
  }
  return real;
}

/**
 * Checks the root (checkLocalDropRoot), creates it and its missing parents when `create`, and returns its
 * real path once it is an existing folder. Every failure is a 400 with a code, never a 500.
 */
export async function openLocalDropRoot(db: Database, config: Config, accountId: number, root: string, opts: { create?: boolean } = {}): Promise<string> {
  const real = await checkLocalDropRoot(db, config, accountId, root);
  try {
    if (opts.create) await mkdirSteps(real);
    const st = await bounded(fsp.stat(real), `reading ${real}`);
    if (!st.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    // Created parents, or a link swapped in meanwhile, must still resolve to the checked folder.
    if ((await bounded(fsp.realpath(real), `resolving ${real}`)) !== real) throw FileDropErrors.PATH_OUTSIDE_ROOT.create({ detail: root, field: 'settings.root' });
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('LMC_ERR_')) throw e;
    throw FileDropErrors.LOCAL_ROOT_UNUSABLE.create({ detail: describeFsError(e, root), field: 'settings.root', cause: e });
  }
  return real;
}
