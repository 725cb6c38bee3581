/**
 * What the row writers of one import learn about its e-mail keys while the files stream by, so the database
 * can skip two passes over the staged rows when the answer is already known:
 * - `mayHaveDuplicates`: a Bloom filter of the lower-cased e-mails (16 MiB whatever the size of the files).
 *   false means certainly no e-mail appears twice, and the SQL duplicate search (a hash of every
 *   key, ~0.7-1 s at 1,000,000 rows) is not needed; true (a real duplicate, or rarely a false alarm) runs it.
 * - `managers`: the distinct manager keys (ASCII-folded), up to MAX_MANAGERS of them (null past that, or with a
 *   non-ASCII key): the plan's manager table starts from them instead of a pass over the staged rows. Managers
 *   are a few percent of the users; rows rejected later may add keys no valid row names (harmless: such a key
 *   resolves to no one, and the unknown-manager check then runs).
 * - `needsDatabaseLower`: some e-mail or manager holds a non-ASCII byte. Lower-casing is then the database's
 *   business (its locale may fold more than ASCII), so the duplicate search and the "own manager" check run in
 *   SQL whatever this filter saw.
 * Only ASCII letters are folded here, which is what lower() does to ASCII in every locale but Turkish ones;
 * for a database whose lower() folds ASCII otherwise, runUserImport sets needsDatabaseLower from the start.
 */
const BLOCKS = (1 << 22) >>> 4; // 512-bit blocks of the 2^27-bit filter

const MAX_MANAGERS = 200_000;

export class EmailKeys {
  mayHaveDuplicates = false;
  needsDatabaseLower = false;
  private managerKeys: Set<string> | null = new Set();

  /** The distinct manager keys seen, lower-cased as the database would; null when unknown (see above). */
  get managers(): string[] | null {
    return this.needsDatabaseLower || !this.managerKeys ? null : [...this.managerKeys];
  }
  // A blocked Bloom filter: the k bits of a key lie in one 512-bit block (one cache line), so adding a key
  // costs one cache miss instead of k. 2^27 bits (16 MiB), 12 bits a key: no false alarm in 3 runs of 1,000,000
  // or of 2,000,000 distinct keys; at 3,000,000 two runs in three, and past that nearly always: the SQL search
  // then simply runs.
  private readonly words = new Uint32Array(1 << 22);

  /** Adds the key of rec[s, e) (an e-mail as written in the file, trimmed). */
  add(rec: Buffer, s: number, e: number): void {
    // Hashes of the ASCII-folded bytes, then finalizer mixes: one picks the block, the others the bits.
    // Two 32-bit hashes of the bytes (64 bits in all: with one, a million keys would share values by chance).
    let h = 0x811c9dc5;
    let g = 0x9e3779b1;
    let high = 0;
    for (let i = s; i < e; i++) {
      let c = rec[i];
      high |= c;
      if (c >= 65 && c <= 90) c |= 0x20;
      h = Math.imul(h ^ c, 0x01000193);
      g = Math.imul(g ^ c, 0x5bd1e995);
    }
    if (high >= 0x80) this.needsDatabaseLower = true;
    let b = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
    b ^= b >>> 16;
    let x = Math.imul(g ^ (g >>> 15), 0x2c1b3c6d);
    x ^= x >>> 12;
    let y = Math.imul(x ^ (b >>> 7), 0x297a2d39);
    y ^= y >>> 15;
    let z = Math.imul(y ^ h, 0x85ebca6b);
    z ^= z >>> 13;
    let v = Math.imul(z ^ g, 0xc2b2ae35);
    v ^= v >>> 16;
    const words = this.words;
    const base = ((b >>> 0) % BLOCKS) << 4;
    // 12 probes of 9 bits (0..511), three from each of x, y, z, v: in one cache line, more probes cost little
    // and make false alarms far rarer while the filter is lightly loaded. Unrolled and without branches
    // (whether a bit was set is as good as random: a branch on it is mispredicted half the time).
    const missing =
      probe(words, base, x, 0) | probe(words, base, x, 9) | probe(words, base, x, 18) |
      probe(words, base, y, 0) | probe(words, base, y, 9) | probe(words, base, y, 18) |
      probe(words, base, z, 0) | probe(words, base, z, 9) | probe(words, base, z, 18) |
      probe(words, base, v, 0) | probe(words, base, v, 9) | probe(words, base, v, 18);
    const all = missing === 0;
    if (all) this.mayHaveDuplicates = true;
  }

  /**
   * Whether the key (lower-cased, ASCII) may be among those added: false means certainly not. The same hashes
   * as add() (kept apart so that add(), run for every row, stays as it is), without setting bits. Only
   * meaningful when needsDatabaseLower is false.
   */
  mayContain(key: string): boolean {
    const rec = Buffer.from(key, 'utf8');
    let h = 0x811c9dc5;
    let g = 0x9e3779b1;
    for (let i = 0; i < rec.length; i++) {
      let c = rec[i];
      if (c >= 65 && c <= 90) c |= 0x20;
      h = Math.imul(h ^ c, 0x01000193);
      g = Math.imul(g ^ c, 0x5bd1e995);
    }
    let b = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
    b ^= b >>> 16;
    let x = Math.imul(g ^ (g >>> 15), 0x2c1b3c6d);
    x ^= x >>> 12;
    let y = Math.imul(x ^ (b >>> 7), 0x297a2d39);
    y ^= y >>> 15;
    let z = Math.imul(y ^ h, 0x85ebca6b);
    z ^= z >>> 13;
    let v = Math.imul(z ^ g, 0xc2b2ae35);
    v ^= v >>> 16;
    const base = ((b >>> 0) % BLOCKS) << 4;
    for (const w of [x, y, z, v]) {
      for (const shift of [0, 9, 18]) {
        const bit = (w >>> shift) & 0x1ff;
        if ((this.words[base + (bit >>> 5)] & (1 << (bit & 31))) === 0) return false;
      }
    }
    return true;
  }

  /** The same for a decoded value (the writer's string path). */
  addString(v: string): void {
    const b = Buffer.from(v, 'utf8');
    this.add(b, 0, b.length);
  }

  /** Notes a manager value (trimmed, not empty): its key, and whether it needs the database's lower(). */
  noteManager(rec: Buffer, s: number, e: number): void {
    let upper = false;
    for (let i = s; i < e; i++) {
      const c = rec[i];
      if (c >= 0x80) this.needsDatabaseLower = true;
      else if (c >= 65 && c <= 90) upper = true;
    }
    if (!this.managerKeys) return;
    const key = rec.toString('latin1', s, e);
    this.managerKeys.add(upper ? key.toLowerCase() : key);
    if (this.managerKeys.size > MAX_MANAGERS) this.managerKeys = null;
  }

  /** The same for a decoded manager value (the writer's string path). */
  noteManagerString(v: string): void {
    const b = Buffer.from(v, 'utf8');
    this.noteManager(b, 0, b.length);
  }
}

/** Sets bit (word >>> shift) & 511 of the block at base; returns it if it was not set before (else 0). */
function probe(words: Uint32Array, base: number, word: number, shift: number): number {
  const bit = (word >>> shift) & 0x1ff;
  const w = base + (bit >>> 5);
  const m = 1 << (bit & 31);
  const old = words[w];
  words[w] = old | m;
  return ~old & m;
}

/** ASCII folding of a string (A-Z only), as EmailKeys folds bytes. */
export function asciiLower(v: string): string {
  return v.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** Whether a string is all ASCII. */
export function isAscii(v: string): boolean {
  return !/[^\x00-\x7f]/.test(v);
}
