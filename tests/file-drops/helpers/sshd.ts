import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { freePort, tempDir, waitForPort } from './openssh.ts';

export const SSHD = '/usr/sbin/sshd';
export const TEST_USER = 'lmcsftp';

/** Whether a real sshd can run here (Debian openssh-server installed, and root to start it and add a user). */
export async function canRunSshd(): Promise<boolean> {
  if (process.getuid?.() !== 0) return false;
  return fs.access(SSHD).then(() => true, () => false);
}

/** Creates the test login (once per machine) and sets its password; returns its home. */
export function ensureTestUser(password: string): string {
  try {
    execFileSync('id', [TEST_USER], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['-m', '-s', '/bin/sh', TEST_USER]);
  }
  execFileSync('chpasswd', { input: `${TEST_USER}:${password}\n` });
  return execFileSync('sh', ['-c', `getent passwd ${TEST_USER} | cut -d: -f6`]).toString().trim();
}

export interface RunningSshd {
  port: number;
  dir: string;
  /** Puts an OpenSSH public key line into the test user's authorized keys. */
  authorize(publicKey: string): Promise<void>;
  /** Replaces the server's host key and restarts it on the same port (a "changed host key"). */
  rotateHostKey(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts OpenSSH's sshd on a loopback port with its own config, host key and authorized keys in a temp
 * folder; SFTP only (internal-sftp), password and public key login for the test user.
 */
export async function startSshd(): Promise<RunningSshd> {
  await fs.mkdir('/run/sshd', { recursive: true, mode: 0o755 }); // privilege separation directory
  const dir = await tempDir('lmc-sshd-');
  await fs.chmod(dir, 0o755); // sshd reads authorized keys as the user
  const port = await freePort();
  const hostKey = path.join(dir, 'ssh_host_ed25519_key');
  await fs.mkdir(path.join(dir, 'authorized_keys'));
  const config = path.join(dir, 'sshd_config');
  await fs.writeFile(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}/%u`,
      'StrictModes no',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'UsePAM no',
      'PermitRootLogin no',
      `AllowUsers ${TEST_USER}`,
      'Subsystem sftp internal-sftp',
      'ForceCommand internal-sftp',
      'LogLevel ERROR',
    ].join('\n') + '\n',
  );
  const keygen = async () => {
    await fs.rm(hostKey, { force: true });
    await fs.rm(hostKey + '.pub', { force: true });
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  };
  await keygen();
  let proc: ChildProcess;
  let log = '';
  const start = async () => {
    proc = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr!.on('data', (d) => (log += String(d)));
    await waitForPort(port).catch((e) => {
      throw new Error(`${(e as Error).message}; sshd said: ${log}`);
    });
  };
  const stopProc = () =>
    new Promise<void>((resolve) => {
      if (!proc || proc.exitCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  await start();
  return {
    port,
    dir,
    authorize: async (publicKey) => fs.appendFile(path.join(dir, 'authorized_keys', TEST_USER), publicKey.trim() + '\n'),
    rotateHostKey: async () => {
      await stopProc();
      await keygen();
      await start();
    },
    stop: async () => {
      await stopProc();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
