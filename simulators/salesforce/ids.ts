/**
 * Salesforce record ids: a 3-character key prefix of the object, 12 base-62 characters, and the 3-character
 * case-safe suffix that makes the 18-character form (each suffix character encodes which of 5 characters of
 * the 15-character id are upper case).
 * https://help.salesforce.com/s/articleView?id=000385008&type=1 (15- and 18-character ids)
 */
const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 18-character id of a 15-character one. */
export function to18(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15[chunk * 5 + i];
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX[bits];
  }
  return id15 + suffix;
}

/** The n-th id of an object with this key prefix (deterministic: same n, same id). */
export function recordId(keyPrefix: string, n: number): string {
  let body = '';
  let x = n;
  for (let i = 0; i < 12; i++) {
    body = B62[x % 62] + body;
    x = Math.floor(x / 62);
  }
  // Real ids carry the pod in characters 4-5; '5g' keeps them looking like one.
  return to18(`${keyPrefix}${'5g'}${body.slice(2)}`);
}

/** A job or query locator id (Bulk API 2.0 jobs start with 750; query cursors with 01g). */
export function opaqueId(prefix: string, n: number): string {
  return recordId(prefix, n);
}
