import crypto from 'node:crypto';

// Client secrets, codes and tokens are 256-bit random values: a SHA-256 of one is enough to store (nothing to
// brute-force), and lookups by hash are exact. The prefixes tell a reader (and the auth hook) what a value is.
export const PREFIX = { clientId: 'lmcapp_', clientSecret: 'lmcsec_', code: 'lmccode_', access: 'lmcat_', refresh: 'lmcrt_' } as const;

export function randomValue(prefix: string, bytes = 32): string {
  return prefix + crypto.randomBytes(bytes).toString('base64url');
}

export function sha256(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex');
}

/** Constant-time comparison of two strings (secret checks). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
