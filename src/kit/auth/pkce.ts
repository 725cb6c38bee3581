import crypto from 'node:crypto';

/** RFC 7636: a random verifier (43-128 characters) and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = crypto.randomBytes(48).toString('base64url');
  return { verifier, challenge: challengeOf(verifier) };
}

export const challengeOf = (verifier: string): string => crypto.createHash('sha256').update(verifier).digest('base64url');
