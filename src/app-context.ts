import path from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from './config.ts';
import { openDatabase, withDatabase, type Database } from './db/database.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from './db/embedded.ts';
import { migrateToLatest } from './db/migrate.ts';
import { assertSupportedServer } from './db/server-version.ts';
import { systemClock, type Clock } from './shared/clock.ts';
import { createLogger, type Logger } from './shared/logger.ts';

/**
 * What every service receives: configuration, the database and a logger. Built once per process by
 * `openAppContext` (CLI, server, worker) or by the test harness on a per-file database.
 */
export interface AppContext {
  config: Config;
  db: Database;
  pool: pg.Pool;
  /** Connection string of the product's database (workers and pg-boss open their own pools on it). */
  dbUrl: string;
  log: Logger;
  /** "Now" for schedules, run timestamps and export windows (see shared/clock.ts). */
  clock: Clock;
  /** Called in reverse order by close(): other areas (queue, servers) register their shutdown here. */
  onClose(fn: () => Promise<void>): void;
  close(): Promise<void>;
}

const DB_NAME = 'lmc';

/**
 * Resolves the database: DATABASE_URL if set, else the embedded PostgreSQL of <dataDir>/pg (its cluster in
 * <dataDir>/pg/cluster, or where <dataDir>/pg/cluster-location says: see locateCluster), started by this
 * process unless another lmc process (serve, worker) already runs it.
 */
export async function resolveDatabaseUrl(config: Config, log: Logger): Promise<{ url: string; embedded?: EmbeddedServer }> {
  if (config.databaseUrl) return { url: config.databaseUrl };
  const dir = path.join(config.dataDir, 'pg');
  const probeUrl = await readEmbeddedUrl(dir, config.embeddedPgPort);
  if (probeUrl && (await canConnect(probeUrl))) return { url: await ensureDb(probeUrl) };
  log.info({ dir, port: config.embeddedPgPort }, 'starting embedded PostgreSQL');
  let embedded: EmbeddedServer;
  try {
    embedded = await startEmbeddedPostgres({ dir, port: config.embeddedPgPort });
  } catch (e) {
    // Two processes (serve and a worker) started at once: the other one's server is up, use it.
    const url = await readEmbeddedUrl(dir, config.embeddedPgPort);
    if (url && (await canConnect(url))) return { url: await ensureDb(url) };
    throw e;
  }
  return { url: await ensureDb(embedded.url), embedded };
}

async function readEmbeddedUrl(dir: string, port: number): Promise<string | undefined> {
  const fs = await import('node:fs/promises');
  try {
    const pw = (await fs.readFile(path.join(dir, 'password'), 'utf8')).trim();
    return `postgres://postgres:${encodeURIComponent(pw)}@127.0.0.1:${port}/postgres`;
  } catch {
    return undefined;
  }
}

async function canConnect(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

async function ensureDb(serverUrl: string): Promise<string> {
  const c = new pg.Client(serverUrl);
  await c.connect();
  try {
    const r = await c.query('select 1 from pg_database where datname = $1', [DB_NAME]);
    if (r.rowCount === 0) await c.query(`create database ${DB_NAME}`).catch((e: { code?: string }) => {
      if (e.code !== '42P04') throw e; // created meanwhile by another process
    });
  } finally {
    await c.end();
  }
  return withDatabase(serverUrl, DB_NAME);
}

export interface OpenOptions {
  config?: Config;
  /** Use this database instead of resolving one (tests). */
  dbUrl?: string;
  migrate?: boolean;
  log?: Logger;
  poolSize?: number;
  /** Defaults to the machine's clock; tests pin it with clockStartingAt. */
  clock?: Clock;
  /** False for a context that never reaches its database (generating the OpenAPI document). */
  checkServer?: boolean;
}

export async function openAppContext(opts: OpenOptions = {}): Promise<AppContext> {
  const config = opts.config ?? loadConfig();
  const log = opts.log ?? createLogger(config.logLevel);
  let url = opts.dbUrl;
  let embedded: EmbeddedServer | undefined;
  if (!url) ({ url, embedded } = await resolveDatabaseUrl(config, log));
  const handle = openDatabase(url, { max: opts.poolSize ?? 10 });
  const closers: Array<() => Promise<void>> = [];
  if (embedded) closers.push(() => embedded!.stop());
  closers.push(() => handle.close());
  try {
    if (opts.checkServer !== false) await assertSupportedServer(handle.pool);
  } catch (e) {
    for (const fn of [...closers].reverse()) await fn().catch(() => undefined);
    throw e;
  }
  if (opts.migrate) await migrateToLatest(handle.db);
  let closed = false;
  return {
    config,
    db: handle.db,
    pool: handle.pool,
    dbUrl: url,
    log,
    clock: opts.clock ?? systemClock,
    onClose: (fn) => closers.push(fn),
    close: async () => {
      if (closed) return;
      closed = true;
      for (const fn of closers.reverse()) await fn().catch((e) => log.warn({ err: e }, 'error during shutdown'));
    },
  };
}
