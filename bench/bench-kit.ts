// What the benchmarks share: a child process runner, a free port, the median, and the benchmark's own
// embedded PostgreSQL with a migrated `lmc` database (kept in the benchmark's directory and reused next run).
import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { withDatabase } from '../src/db/database.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { prepareDatabase } from '../src/db/prepare.ts';

/** Runs a command to completion; resolves with its stdout, rejects with its stderr. */
export function run(cmd: string, args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 4 * 3600_000 }, (e, out, err) =>
      e ? reject(new Error(`${cmd} ${args.join(' ')} failed: ${err || e.message}`)) : resolve(out),
    ),
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Starts the embedded cluster under `dir`/pg and returns it with the URL of its migrated `lmc` database. */
export async function startBenchDatabase(dir: string): Promise<{ server: { url: string; stop(): Promise<void> }; url: string }> {
  const server = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port: await freePort(), ephemeral: true });
  try {
    const admin = new pg.Client(server.url);
    await admin.connect();
    if ((await admin.query(`select 1 from pg_database where datname = 'lmc'`)).rowCount === 0) await admin.query('create database lmc');
    await admin.end();
    const url = withDatabase(server.url, 'lmc');
    await prepareDatabase(url);
    return { server, url };
  } catch (e) {
    await server.stop();
    throw e;
  }
}
