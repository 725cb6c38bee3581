import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A temporary folder removed by the returned cleanup. */
export async function tempDir(prefix = 'lmc-fd-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

export interface SftpRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs OpenSSH's sftp in batch mode (-b) against 127.0.0.1:port. A password is given through SSH_ASKPASS
 * (SSH_ASKPASS_REQUIRE=force), since sftp -b never prompts; BatchMode=no is passed first so it wins over
 * the BatchMode=yes that -b adds.
 */
export async function runSftp(o: { port: number; user: string; password?: string; identity?: string; commands: string[]; cwd?: string; options?: string[] }): Promise<SftpRun> {
  const dir = await tempDir('lmc-sftp-run-');
  const batch = path.join(dir, 'batch');
  await fs.writeFile(batch, o.commands.join('\n') + '\n');
  const env: NodeJS.ProcessEnv = { ...process.env };
  const args = ['-o', 'StrictHostKeyChecking=no', '-o', `UserKnownHostsFile=${path.join(dir, 'known_hosts')}`, '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=10', '-P', String(o.port)];
  if (o.password !== undefined) {
    const askpass = path.join(dir, 'askpass.sh');
    await fs.writeFile(path.join(dir, 'pw'), o.password);
    await fs.writeFile(askpass, `#!/bin/sh\ncat '${path.join(dir, 'pw')}'\n`, { mode: 0o700 });
    Object.assign(env, { SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' });
    args.unshift('-o', 'BatchMode=no', '-o', 'PreferredAuthentications=password', '-o', 'PubkeyAuthentication=no', '-o', 'NumberOfPasswordPrompts=1');
  } else if (o.identity) {
    args.push('-o', 'PreferredAuthentications=publickey', '-o', 'IdentitiesOnly=yes', '-i', o.identity);
  }
  for (const opt of o.options ?? []) args.push('-o', opt);
  args.push('-b', batch, `${o.user}@127.0.0.1`);
  return new Promise((resolve) => {
    if (process.env.LMC_SFTP_DEBUG) args.unshift('-vvv');
    execFile('sftp', args, { env, cwd: o.cwd ?? dir, timeout: 30_000 }, (err, stdout, stderr) => {
      void fs.rm(dir, { recursive: true, force: true });
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Creates an ed25519 key pair with ssh-keygen; returns the private key's path (public: + '.pub'). */
export async function sshKeygen(dir: string, name = 'id_ed25519', type = 'ed25519'): Promise<string> {
  const file = path.join(dir, name);
  await new Promise<void>((resolve, reject) => execFile('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', 'test@lmc', '-f', file], (e) => (e ? reject(e) : resolve())));
  return file;
}

/** A free loopback TCP port (for sshd, which cannot listen on port 0). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}

export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => {
        c.end();
        resolve(true);
      });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`port ${port} did not open`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export type { ChildProcess };
export { spawn };
