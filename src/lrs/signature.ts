import crypto from 'node:crypto';
import { sameStatement } from './compare.ts';
import { LrsErrors } from './errors.ts';

export const SIGNATURE_USAGE = 'http://adlnet.gov/expapi/attachments/signature';
const ALGS: Record<string, string> = { RS256: 'RSA-SHA256', RS384: 'RSA-SHA384', RS512: 'RSA-SHA512' };

type Obj = Record<string, any>;

const b64json = (s: string, what: string): Obj => {
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v;
  } catch {
    throw LrsErrors.INVALID_STATEMENT.create({ detail: `the signature's JWS ${what} is not a JSON object`, field: 'statement.attachments' });
  }
};

/**
 * Verifies a signed statement (xAPI Data 2.6): the signature attachment holds a compact JWS whose
 * algorithm is RS256/384/512 and whose payload is the statement as it was before the signature was added.
 * When the JWS header carries an x5c certificate chain, the signature is checked against its first
 * certificate's public key.
 */
export function verifySignedStatement(statement: Obj, jws: Buffer): void {
  const text = jws.toString('utf8').trim();
  const parts = text.split('.');
  const bad = (detail: string) => LrsErrors.INVALID_STATEMENT.create({ detail, field: 'statement.attachments' });
  if (parts.length !== 3) throw bad('the signature is not a compact JWS (header.payload.signature)');
  const header = b64json(parts[0], 'header');
  const payload = b64json(parts[1], 'payload');
  const alg = ALGS[header.alg as string];
  if (!alg) throw bad(`the JWS algorithm must be RS256, RS384 or RS512 (got ${String(header.alg)})`);
  const { attachments, ...rest } = statement;
  const unsigned = { ...rest, ...(Array.isArray(attachments) ? { attachments: attachments.filter((a: Obj) => a.usageType !== SIGNATURE_USAGE) } : {}) };
  if (Array.isArray(unsigned.attachments) && unsigned.attachments.length === 0) delete unsigned.attachments;
  const payloadCmp = { ...payload };
  if (Array.isArray(payloadCmp.attachments)) {
    payloadCmp.attachments = payloadCmp.attachments.filter((a: Obj) => a.usageType !== SIGNATURE_USAGE);
    if (payloadCmp.attachments.length === 0) delete payloadCmp.attachments;
  }
  if (payload.id !== undefined && statement.id !== undefined && payload.id !== statement.id) throw bad('the JWS payload is a different statement (id)');
  if (!sameStatement(payloadCmp, unsigned)) throw bad('the JWS payload does not match the statement');
  if (Array.isArray(header.x5c) && typeof header.x5c[0] === 'string') {
    let key: crypto.KeyObject;
    try {
      key = new crypto.X509Certificate(Buffer.from(header.x5c[0], 'base64')).publicKey;
    } catch {
      throw bad('the x5c certificate of the JWS cannot be read');
    }
    const ok = crypto.verify(alg, Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2], 'base64url'));
    if (!ok) throw bad('the JWS signature does not verify against its x5c certificate');
  }
}
