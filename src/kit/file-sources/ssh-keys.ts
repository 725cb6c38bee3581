import crypto from 'node:crypto';
import ssh2 from 'ssh2';
import { FileDropErrors } from './file-drop-errors.ts';

const { utils } = ssh2;

export interface SshKeyPair {
  /** OpenSSH public key line: "ssh-ed25519 AAAA... comment" (what goes into authorized_keys). */
  publicKey: string;
  /** OpenSSH private key (unencrypted: it is kept as an encrypted secret setting instead). */
  privateKey: string;
  fingerprint: string;
}

/**
 * Generates a key pair for certificate authentication to a customer's SFTP server.
 * @example const { publicKey, privateKey } = generateSshKeyPair('ed25519', 'lmc@acme');
 */
export function generateSshKeyPair(type: 'ed25519' | 'rsa' = 'ed25519', comment = 'lmc'): SshKeyPair {
  const keys = generateParsableKeyPair(type, comment);
  return { publicKey: keys.public.trim(), privateKey: keys.private, fingerprint: fingerprintOfPublicKey(keys.public) };
}

/**
 * ssh2's generateKeyPairSync now and then (about 1 in 250 ed25519 keys, ssh2 1.17) writes a private key that
 * its own parser rejects ("Malformed OpenSSH private key"); such a key would break the server's start or a
 * connection later. So a pair is only returned once its private key parses back to the same public key.
 */
export function generateParsableKeyPair(type: 'ed25519' | 'rsa', comment: string): { public: string; private: string } {
  for (let i = 0; ; i++) {
    const keys = type === 'rsa' ? utils.generateKeyPairSync('rsa', { bits: 3072, comment }) : utils.generateKeyPairSync('ed25519', { comment });
    const parsed = utils.parseKey(keys.private);
    const pub = keys.public.trim().split(/\s+/)[1];
    if (!(parsed instanceof Error) && !Array.isArray(parsed) && parsed.getPublicSSH().toString('base64') === pub) return keys;
    if (i >= 20) throw new Error('could not generate a usable SSH key pair');
  }
}

/** OpenSSH-style fingerprint of a key blob: "SHA256:" + unpadded base64 of its SHA-256. */
export function fingerprintOfBlob(blob: Buffer): string {
  return 'SHA256:' + crypto.createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** The key type written at the start of an SSH key blob (e.g. "ssh-ed25519"). */
export function keyTypeOfBlob(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const n = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + n).toString('latin1');
}

export interface ParsedPublicKey {
  algorithm: string;
  /** The key blob (SSH wire format). */
  blob: Buffer;
  comment: string;
  fingerprint: string;
}

/** Parses one OpenSSH public key line; throws LMC_ERR_FILEDROP_INVALID_PUBLIC_KEY. */
export function parsePublicKey(line: string): ParsedPublicKey {
  const parsed = utils.parseKey(line.trim());
  if (parsed instanceof Error || Array.isArray(parsed) || parsed.isPrivateKey()) throw FileDropErrors.INVALID_PUBLIC_KEY.create();
  const blob = parsed.getPublicSSH();
  const comment = line.trim().split(/\s+/).slice(2).join(' ');
  return { algorithm: parsed.type, blob, comment, fingerprint: fingerprintOfBlob(blob) };
}

export function fingerprintOfPublicKey(line: string): string {
  return parsePublicKey(line).fingerprint;
}

/** The OpenSSH public key line of a private key (to show it again from the stored secret). */
export function publicKeyOfPrivateKey(privateKey: string, comment = 'lmc'): string {
  const parsed = utils.parseKey(privateKey);
  if (parsed instanceof Error || Array.isArray(parsed)) throw FileDropErrors.INVALID_PRIVATE_KEY.create();
  return `${parsed.type} ${parsed.getPublicSSH().toString('base64')} ${comment}`;
}

/** Throws LMC_ERR_FILEDROP_INVALID_PRIVATE_KEY when ssh2 cannot use the key. */
export function checkPrivateKey(privateKey: string): void {
  const parsed = utils.parseKey(privateKey);
  if (parsed instanceof Error || Array.isArray(parsed) || !parsed.isPrivateKey()) throw FileDropErrors.INVALID_PRIVATE_KEY.create();
}
