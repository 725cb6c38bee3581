import fsp from 'node:fs/promises';
import path from 'node:path';
import { fingerprintOfPublicKey, generateParsableKeyPair } from '../kit/file-sources/ssh-keys.ts';

/**
 * The hosted SFTP service's host key: generated on first start into <dataDir>/sftp/ssh_host_ed25519_key
 * and kept, so clients that pinned it keep trusting the server across restarts.
 */
export async function loadOrCreateHostKey(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'sftp', 'ssh_host_ed25519_key');
  try {
    return await fsp.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await fsp.mkdir(path.dirname(file), { recursive: true, mode: 0o750 });
  const keys = generateParsableKeyPair('ed25519', 'lmc hosted sftp');
  try {
    await fsp.writeFile(file, keys.private, { mode: 0o600, flag: 'wx' });
    await fsp.writeFile(file + '.pub', keys.public + '\n', { mode: 0o644 });
    return keys.private;
  } catch (e) {
    // Another process created it meanwhile: use theirs.
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return fsp.readFile(file, 'utf8');
    throw e;
  }
}

/** The service's host key fingerprint (SHA256:...), for users to check on first connect; null before the first start. */
export async function hostKeyFingerprint(dataDir: string): Promise<string | null> {
  try {
    return fingerprintOfPublicKey(await fsp.readFile(path.join(dataDir, 'sftp', 'ssh_host_ed25519_key.pub'), 'utf8'));
  } catch {
    return null;
  }
}
