import fs from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_BOX_APP, startBoxSimulator, type BoxSimulator } from '../../../simulators/box/server.ts';
import { runSftp, tempDir } from './openssh.ts';
import { canRunSshd, ensureTestUser, startSshd, TEST_USER, type RunningSshd } from './sshd.ts';

/**
 * A file drop seen from the customer's side, for tests that run the same scenario on several connectors:
 * the connection settings that point the connector at it, and the customer's own way of putting files in and
 * fetching them (the Box folder's store; OpenSSH's sftp on the customer's server).
 */
export interface TestDrop {
  connectorId: 'box' | 'custom-ftp';
  /** The connection's settings (POST /api/v1/connections). */
  settings: Record<string, unknown>;
  /** Puts a file at a drop path ('import/xapi/a.csv'); its folder exists (connecting creates the layout). */
  put(rel: string, content: string | Buffer): Promise<void>;
  /** The names of the files (not folders) in a drop folder, sorted. */
  files(dir: string): Promise<string[]>;
  /** A file's bytes, fetched the customer's way. */
  get(rel: string): Promise<Buffer>;
  /**
   * Where the drop's service can fail transiently: arms faults for the next run (Box: the token expires at
   * the next folder listing, the next download or upload gets a 429 with Retry-After) and returns a check that
   * the run went through them.
   */
  flaky?(): () => void;
  close(): Promise<void>;
}

/** The settings that point the Box connector at a folder of the simulator. */
export function boxSettings(sim: BoxSimulator, rootFolderId: string) {
  return { clientId: DEFAULT_BOX_APP.clientId, clientSecret: DEFAULT_BOX_APP.clientSecret, enterpriseId: DEFAULT_BOX_APP.enterpriseId, rootFolderId, apiBaseUrl: sim.url };
}

/** A Box folder "Learning Manager" in a fresh Box simulator (the connector reads it through the Box SDK). */
export async function startBoxDrop(): Promise<TestDrop & { sim: BoxSimulator }> {
  const sim = await startBoxSimulator();
  const root = sim.store.addFolder('0', 'Learning Manager').id;
  const folder = (dir: string) => sim.store.byPath(dir, root);
  return {
    connectorId: 'box',
    sim,
    settings: boxSettings(sim, root),
    put: async (rel, content) => {
      const dir = folder(path.posix.dirname(rel));
      if (dir?.type !== 'folder') throw new Error(`no Box folder ${path.posix.dirname(rel)}`);
      const name = path.posix.basename(rel);
      // Uploading a name that exists in the folder makes a new version of that file (same id), as on Box.
      const existing = sim.store.conflict(dir.id, name);
      if (existing?.type === 'file') Object.assign(existing, { content: Buffer.from(content), modifiedAt: new Date(), etag: existing.etag + 1 });
      else sim.store.addFile(dir.id, name, Buffer.from(content));
    },
    files: async (dir) => {
      const f = folder(dir);
      return f ? sim.store.children(f.id).filter((i) => i.type === 'file').map((i) => i.name).sort() : [];
    },
    get: async (rel) => {
      const f = folder(rel);
      if (f?.type !== 'file') throw new Error(`no Box file ${rel}`);
      return f.content ?? Buffer.alloc(0);
    },
    flaky: () => {
      const before = sim.calls.length;
      sim.faults.push({ kind: 'expire-token', count: 1, pathContains: '/items' }, { kind: '429', retryAfterSeconds: 1, count: 1, pathContains: '/content' });
      return () => {
        const seen = sim.calls.slice(before);
        if (sim.faults.length) throw new Error(`faults not reached: ${JSON.stringify(sim.faults)}`);
        if (!seen.some((c) => c.status === 401 && c.path.endsWith('/items'))) throw new Error('no 401 at a folder listing');
        if (!seen.some((c) => c.status === 429 && c.path.endsWith('/content'))) throw new Error('no 429 at a download or upload');
      };
    },
    close: () => sim.close(),
  };
}

/** Whether the Custom FTP drop can run here (a real sshd needs root). */
export const canRunCustomFtpDrop = canRunSshd;

/**
 * A folder on a real OpenSSH sshd (loopback, password login as the test user): the customer's own SFTP
 * server. Files are put and fetched with OpenSSH's sftp, as the customer's systems would.
 */
export async function startCustomFtpDrop(password = 'sftp-test-password-1'): Promise<TestDrop & { sshd: RunningSshd; base: string }> {
  const home = ensureTestUser(password);
  const sshd = await startSshd();
  const base = path.join(home, `drop-${process.pid}-${Date.now()}`);
  const sftp = async (commands: string[], cwd: string) => {
    const r = await runSftp({ port: sshd.port, user: TEST_USER, password, cwd, commands });
    if (r.code !== 0) throw new Error(`sftp ${commands.join('; ')} failed (${r.code}): ${r.stderr}`);
    return r;
  };
  const remote = (rel: string) => path.posix.join(base, rel);
  const withWork = async <T>(fn: (work: string) => Promise<T>): Promise<T> => {
    const work = await tempDir('lmc-drop-work-');
    try {
      return await fn(work);
    } finally {
      await fs.rm(work, { recursive: true, force: true });
    }
  };
  return {
    connectorId: 'custom-ftp',
    sshd,
    base,
    settings: { host: `sftp://127.0.0.1:${sshd.port}`, username: TEST_USER, password, basePath: base },
    put: (rel, content) =>
      withWork(async (work) => {
        await fs.writeFile(path.join(work, 'upload'), content);
        await sftp([`put upload "${remote(rel)}"`], work);
      }),
    files: async (dir) => {
      const entries = await fs.readdir(remote(dir), { withFileTypes: true }).catch(() => []);
      return entries.filter((e) => e.isFile()).map((e) => e.name).sort();
    },
    get: (rel) =>
      withWork(async (work) => {
        await sftp([`get "${remote(rel)}" download`], work);
        return fs.readFile(path.join(work, 'download'));
      }),
    close: async () => {
      await sshd.stop();
      await fs.rm(base, { recursive: true, force: true });
    },
  };
}

/** The drops a scenario runs on, each with whether it can run here (describe.skipIf(!available) shows a skip). */
export async function testDrops(): Promise<Array<{ label: string; available: boolean; start: () => Promise<TestDrop> }>> {
  return [
    { label: 'Box', available: true, start: startBoxDrop },
    { label: 'Custom FTP', available: await canRunCustomFtpDrop(), start: () => startCustomFtpDrop() },
  ];
}
