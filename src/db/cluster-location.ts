import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { DbErrors } from './errors.ts';
import type { RunAs } from './pg-process.ts';
import { openSystemDir, SYSTEM_DIR } from './pg-programs.ts';
import { firstClosedFolder, userCan } from './postgres-user.ts';

export interface ClusterLocation {
  /** The PostgreSQL data directory (PG_VERSION inside once initialised). */
  dir: string;
  /** False when initdb must run first (the folder is missing or empty). */
  initialised: boolean;
}

/** File in <dataDir>/pg naming the cluster kept outside the data directory (root with a private folder). */
export const POINTER_FILE = 'cluster-location';

/**
 * Where the cluster of the data directory's `pg` folder lives.
 * - It was placed elsewhere before: the folder named by `pg/cluster-location` (never re-created when gone).
 * - Otherwise `pg/cluster`, as always for a non-root user and for root when the postgres user can enter it.
 * - Root, new cluster, and the postgres user cannot enter the data directory (/root is mode 700, so is a
 *   mktemp -d folder): a new folder SYSTEM_DIR/<id>/cluster owned by postgres, recorded in the pointer file.
 *   The user's folders are not touched.
 */
export async function locateCluster(pgDir: string, runAs: RunAs | undefined): Promise<ClusterLocation> {
  const pointer = path.join(pgDir, POINTER_FILE);
  const recorded = await fs.readFile(pointer, 'utf8').then((s) => s.trim(), () => undefined);
  if (recorded) return followPointer(pointer, recorded, runAs);
  const local = path.join(pgDir, 'cluster');
  const initialised = await isCluster(local);
  if (!runAs) return { dir: local, initialised };
  // Our own folder: the postgres user needs to pass it to reach the cluster inside.
  await fs.chmod(pgDir, 0o755).catch(() => undefined);
  if (await userCan(runAs, pgDir)) return { dir: local, initialised };
  if (initialised) {
    throw DbErrors.EMBEDDED_UNREACHABLE.create(`PostgreSQL runs as the postgres user, which cannot enter ${await firstClosedFolder(runAs, pgDir)}, where the cluster of this data directory lives (${local}); let that user enter the folder, or move the data directory and set LMC_DATA_DIR to it`);
  }
  return createOutside(pgDir, pointer, runAs);
}

async function followPointer(pointer: string, dir: string, runAs: RunAs | undefined): Promise<ClusterLocation> {
  if (await isCluster(dir)) {
    if (runAs && !(await userCan(runAs, dir))) {
      throw DbErrors.EMBEDDED_UNREACHABLE.create(`PostgreSQL runs as the postgres user, which cannot enter ${await firstClosedFolder(runAs, dir)} (the cluster named in ${pointer}); let that user enter it`);
    }
    return { dir, initialised: true };
  }
  // An empty folder is a cluster whose initdb never finished: nothing to lose by initialising it.
  const entries = await fs.readdir(dir).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : 'closed' as const));
  // Not ours to read (another user's cluster): PostgreSQL itself will say what is wrong.
  if (entries === 'closed') return { dir, initialised: true };
  if (entries && entries.length === 0) return { dir, initialised: false };
  throw DbErrors.EMBEDDED_CLUSTER_GONE.create(
    `${pointer} says the database is kept in ${dir}, which ${entries ? 'holds no complete cluster' : 'no longer exists'}; restore that folder, or delete ${pointer} to start again with an empty database`,
  );
}

async function createOutside(pgDir: string, pointer: string, runAs: RunAs): Promise<ClusterLocation> {
  const dataDir = path.dirname(pgDir);
  const home = path.join(SYSTEM_DIR, crypto.randomBytes(8).toString('hex'));
  const dir = path.join(home, 'cluster');
  try {
    await openSystemDir();
    await fs.mkdir(home);
    await fs.chmod(home, 0o755);
    // Says which data directory the folder belongs to, for whoever cleans up SYSTEM_DIR.
    await fs.writeFile(path.join(home, 'data-dir'), dataDir + '\n');
    await fs.mkdir(dir, { mode: 0o700 });
    await fs.chown(dir, runAs.uid, runAs.gid);
  } catch (e) {
    await fs.rm(home, { recursive: true, force: true }).catch(() => undefined);
    throw DbErrors.EMBEDDED_UNREACHABLE.create({
      detail: `PostgreSQL runs as the postgres user, which cannot enter ${await firstClosedFolder(runAs, pgDir)}, and no cluster folder could be made in ${SYSTEM_DIR} (${(e as Error).message}); set LMC_DATA_DIR to a folder the postgres user can enter, or DATABASE_URL to a PostgreSQL server`,
      cause: e,
    });
  }
  // Recorded before initdb runs: a start cut short leaves an empty folder that the next start initialises.
  // 'wx': when two processes create a cluster at once, the first pointer wins and the other folder goes.
  try {
    await fs.writeFile(pointer, dir + '\n', { flag: 'wx', mode: 0o644 });
  } catch (e) {
    await fs.rm(home, { recursive: true, force: true });
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return followPointer(pointer, (await fs.readFile(pointer, 'utf8')).trim(), runAs);
  }
  return { dir, initialised: false };
}

async function isCluster(dir: string): Promise<boolean> {
  return fs.stat(path.join(dir, 'PG_VERSION')).then(() => true, () => false);
}
