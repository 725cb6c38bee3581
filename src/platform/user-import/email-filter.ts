/**
 * What the row writers of one import learn about its e-mail keys while the files stream by, so the database
 * can skip two passes over the staged rows when the answer is already known:
 * - `mayHaveDuplicates`: a Bloom filter of the lower-cased e-mails (8 MiB whatever the size of the files,
 *   10 hashes). false means certainly no e-mail appears twice, and the SQL duplicate search (a hash of every
 *   key, ~0.7-1 s at 1,000,000 rows) is not needed; true (a real duplicate, or rarely a false alarm) runs it.
 * - `needsDatabaseLower`: some e-mail or manager holds a non-ASCII byte. Lower-casing is then the database's
 *   business (its locale may fold more than ASCII), so the duplicate search and the "own manager" check run in
 *   SQL whatever this filter saw.
 * Only ASCII letters are folded here, which is what lower() does to ASCII in every locale but Turkish ones;
 * a database whose lower('I') is not 'i' is told by `asciiFoldsLikeDatabase` (see runUserImport).
 */
export class EmailKeys {
  mayHaveDuplicates = false;
  needsDatabaseLower = false;
  private readonly bits = new Uint32Array(1 << 21); // 2^26 bits = 8 MiB
  private static readonly MASK = (1 << 26) - 1;
  private static readonly K = 10;

  /** Adds the key of rec[s, e) (an e-mail as written in the file, trimmed). */
  add(rec: Buffer, s: number, e: number): void {
    // Two independent 32-bit hashes (FNV-1a and a multiplicative one) of the ASCII-folded bytes; the k probes
    // are h1 + i * h2 (Kirsch-Mitzenmacher).
    let h1 = 0x811c9dc5;
    let h2 = 0x9e3779b1;
    for (let i = s; i < e; i++) {
      let c = rec[i];
      if (c >= 0x80) this.needsDatabaseLower = true;
      if (c >= 65 && c <= 90) c |= 0x20;
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 + c, 0x85ebca6b) ^ (h2 >>> 13);
    }
    h2 |= 1;
    let all = true;
    for (let i = 0; i < EmailKeys.K; i++) {
      const bit = (h1 + Math.imul(i, h2)) & EmailKeys.MASK;
      const w = bit >>> 5;
      const m = 1 << (bit & 31);
      if ((this.bits[w] & m) === 0) {
        all = false;
        this.bits[w] |= m;
      }
    }
    if (all) this.mayHaveDuplicates = true;
  }

  /** The same for a decoded value (the writer's string path). */
  addString(v: string): void {
    const b = Buffer.from(v, 'utf8');
    this.add(b, 0, b.length);
  }

  /** Notes a manager value: only whether it needs the database's lower(). */
  noteManager(rec: Buffer, s: number, e: number): void {
    for (let i = s; i < e; i++) if (rec[i] >= 0x80) this.needsDatabaseLower = true;
  }
}

/** ASCII folding of a string (A-Z only), as EmailKeys folds bytes. */
export function asciiLower(v: string): string {
  return v.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** Whether a string is all ASCII. */
export function isAscii(v: string): boolean {
  return !/[^\x00-\x7f]/.test(v);
}
