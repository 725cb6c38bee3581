import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneInto, freePort, hasRunuser, isOneSentence, isRoot, lmc, plainEnv, repoRoot, serve } from './start-harness.ts';

// Issue 20: `git clone … /root/lmc && npm install && npm start` as root. PostgreSQL runs as the postgres
// user, which cannot enter /root (mode 700) nor a mktemp -d folder: neither the cluster under the data
// directory nor the programs under node_modules were reachable.
const asRoot = isRoot ? 'as root' : 'as root (skipped: these tests run only as root, as CI does)';
const asNobody = isRoot && hasRunuser ? 'as a user other than root' : `as a user other than root (skipped: needs root and runuser to switch to nobody; root=${isRoot}, runuser=${hasRunuser})`;

describe.skipIf(!isRoot)(asRoot, () => {
  let home: string;
  const systemDirs: string[] = [];

  beforeAll(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-private-home-')); // mode 700, like /root
  });
  afterAll(async () => {
    await fs.rm(home, { recursive: true, force: true });
    for (const d of systemDirs) await fs.rm(d, { recursive: true, force: true });
  });

  async function recordedCluster(dataDir: string): Promise<string> {
    const dir = (await fs.readFile(path.join(dataDir, 'pg/cluster-location'), 'utf8')).trim();
    systemDirs.push(path.dirname(dir));
    return dir;
  }

  it('a clone in a mode-700 folder starts with its cluster in /var/lib/lmc, and a restart finds the same cluster and data', async () => {
    const app = path.join(home, 'lmc');
    await cloneInto(app);
    const env = plainEnv({ PORT: String(await freePort()), LMC_PG_PORT: String(await freePort()), LMC_SFTP_PORT: String(await freePort()) });

    const first = await serve(app, env);
    expect((await fetch(`${first.url}/openapi.json`)).status).toBe(200);
    expect(first.out).toContain('First start: an administrator was created');
    expect(await first.stop()).toBe(0);

    const cluster = await recordedCluster(path.join(app, 'data'));
    expect(cluster).toMatch(/^\/var\/lib\/lmc\/[0-9a-f]+\/cluster$/);
    expect((await fs.stat(path.join(cluster, 'PG_VERSION'))).uid).not.toBe(0); // owned by postgres
    // The user's folder was not opened up for the postgres user.
    expect((await fs.stat(home)).mode & 0o777).toBe(0o700);

    // Same cluster and data: the administrator of the first start is there, so none is created.
    const second = await serve(app, env);
    expect((await fetch(`${second.url}/openapi.json`)).status).toBe(200);
    expect(second.out).not.toContain('First start');
    expect(await second.stop()).toBe(0);
    expect(await recordedCluster(path.join(app, 'data'))).toBe(cluster);
  }, 240_000);

  it('a second process on the same data directory uses the server the first one started', async () => {
    const dataDir = path.join(home, 'shared-data');
    const env = plainEnv({ LMC_DATA_DIR: dataDir, PORT: String(await freePort()), LMC_PG_PORT: String(await freePort()), LMC_SFTP_PORT: String(await freePort()) });
    const server = await serve(repoRoot, env);
    try {
      const second = await lmc(repoRoot, ['migrate'], env);
      expect(second.err).toBe('');
      expect(second.out).toContain('database is up to date');
    } finally {
      expect(await server.stop()).toBe(0);
    }
    await recordedCluster(dataDir);
  }, 240_000);

  it('stops with one sentence when the recorded cluster is gone, and creates no new one', async () => {
    const dataDir = path.join(home, 'gone-data');
    const env = plainEnv({ LMC_DATA_DIR: dataDir, LMC_PG_PORT: String(await freePort()) });
    expect((await lmc(repoRoot, ['migrate'], env)).code).toBe(0);
    const cluster = await recordedCluster(dataDir);
    await fs.rm(path.dirname(cluster), { recursive: true });

    const r = await lmc(repoRoot, ['migrate'], env);
    expect(r.code).toBe(2);
    expect(isOneSentence(r.err)).toBe(true);
    expect(r.err).toContain('LMC_ERR_DB_EMBEDDED_CLUSTER_GONE');
    expect(r.err).toContain(`${cluster}, which no longer exists`);
    expect(r.err).toContain(`delete ${path.join(dataDir, 'pg/cluster-location')}`);
    expect(await recordedCluster(dataDir)).toBe(cluster);
  }, 120_000);
});

describe.skipIf(!isRoot)(`${asRoot}, where it cannot work`, () => {
  it('names the folder the postgres user cannot enter, and the fix, in one sentence', async () => {
    const outer = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-closed-later-'));
    try {
      await fs.chmod(outer, 0o755);
      const env = plainEnv({ LMC_DATA_DIR: path.join(outer, 'data'), LMC_PG_PORT: String(await freePort()) });
      expect((await lmc(repoRoot, ['migrate'], env)).code).toBe(0); // cluster in data/pg/cluster, as before
      await fs.chmod(outer, 0o700); // closed afterwards: the cluster cannot move by itself

      const r = await lmc(repoRoot, ['migrate'], env);
      expect(r.code).toBe(2);
      expect(isOneSentence(r.err)).toBe(true);
      expect(r.err).toContain('LMC_ERR_DB_EMBEDDED_UNREACHABLE');
      expect(r.err).toContain(`the postgres user, which cannot enter ${outer},`);
      expect(r.err).toContain('set LMC_DATA_DIR to it');
    } finally {
      await fs.rm(outer, { recursive: true, force: true });
    }
  }, 120_000);
});

describe.skipIf(!isRoot || !hasRunuser)(asNobody, () => {
  let home: string;
  let nobody: number;
  beforeAll(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-nobody-home-'));
    nobody = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
    await fs.chown(home, nobody, Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).trim())); // its own private folder (mode 700)
  });
  afterAll(async () => {
    await fs.rm(home, { recursive: true, force: true });
  });

  it('keeps the cluster in <data dir>/pg/cluster, owned by that user, as before', async () => {
    const dataDir = path.join(home, 'data');
    const env = plainEnv({ HOME: home, LMC_DATA_DIR: dataDir, LMC_PG_PORT: String(await freePort()) });
    const first = await lmc(repoRoot, ['migrate'], env, 'nobody');
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const version = await fs.stat(path.join(dataDir, 'pg/cluster/PG_VERSION'));
    expect(version.uid).toBe(nobody);
    await expect(fs.stat(path.join(dataDir, 'pg/cluster-location'))).rejects.toThrow();
    const again = await lmc(repoRoot, ['migrate'], env, 'nobody');
    expect(again.err).toBe('');
    expect(again.code).toBe(0);
    expect((await fs.stat(path.join(dataDir, 'pg/cluster/PG_VERSION'))).ino).toBe(version.ino); // not re-created
  }, 120_000);
});

describe('a start that cannot work', () => {
  it('prints an unexpected error as one line, without a stack trace unless LMC_LOG_LEVEL=debug', async () => {
    const port = await freePort(); // nothing listens there
    const env = plainEnv({ DATABASE_URL: `postgres://lmc:x@127.0.0.1:${port}/lmc` });
    const r = await lmc(repoRoot, ['migrate'], env);
    expect(r.code).toBe(2);
    expect(isOneSentence(r.err)).toBe(true);
    expect(r.err).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
    const debug = await lmc(repoRoot, ['migrate'], { ...env, LMC_LOG_LEVEL: 'debug' });
    expect(debug.err).toMatch(/\n\s+at /);
  }, 120_000);

  it('names the port in one sentence when another program holds it', async () => {
    const net = await import('node:net');
    const holder = net.createServer(() => undefined);
    const port = await new Promise<number>((resolve) => holder.listen(0, '127.0.0.1', () => resolve((holder.address() as { port: number }).port)));
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-port-taken-'));
    try {
      const r = await lmc(repoRoot, ['migrate'], plainEnv({ LMC_DATA_DIR: dataDir, LMC_PG_PORT: String(port) }));
      expect(r.code).toBe(2);
      expect(isOneSentence(r.err)).toBe(true);
      expect(r.err).toContain(`LMC_ERR_DB_EMBEDDED_PORT_IN_USE`);
      expect(r.err).toContain(`port ${port} is taken by another program; stop it or set LMC_PG_PORT to a free port`);
    } finally {
      holder.close();
      // As root the data directory (mode 700) got its cluster folder in /var/lib/lmc: remove that too.
      const recorded = await fs.readFile(path.join(dataDir, 'pg/cluster-location'), 'utf8').catch(() => undefined);
      if (recorded) await fs.rm(path.dirname(recorded.trim()), { recursive: true, force: true });
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
