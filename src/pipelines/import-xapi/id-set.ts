/**
 * A set of statement ids (UUIDs) kept as 16-byte keys in one typed array (open addressing, linear probing).
 * A dry run keeps every id it would create, across batches and files, so a repeated row counts once as in the
 * real run. As a Set of strings that cost ~400 bytes an id (each id is a rope of nine small strings), about
 * 200 MB for the 500,000 rows of issue 19; here it is 32-64 bytes an id and no garbage-collected objects.
 * An id that is not a UUID (never made by the import, but the set must not lie) goes to a plain Set.
 * @example const seen = new StatementIdSet(); seen.add(id); seen.has(id) // true
 */
export class StatementIdSet {
  private words = new Int32Array(4 * 1024);
  private used = new Uint8Array(1024);
  private count = 0;
  private other = new Set<string>();
  // the key being looked up, parsed once
  private readonly key = new Int32Array(4);

  get size(): number {
    return this.count + this.other.size;
  }

  has(id: string): boolean {
    if (!this.parse(id)) return this.other.has(id.toLowerCase());
    return this.slot() >= 0;
  }

  /** Adds `id`; true when it was not in the set yet. */
  add(id: string): boolean {
    if (!this.parse(id)) {
      const k = id.toLowerCase();
      if (this.other.has(k)) return false;
      this.other.add(k);
      return true;
    }
    const s = this.slot();
    if (s >= 0) return false;
    // keep the load at most 1/2: probes stay short
    if ((this.count + 1) * 2 > this.used.length) {
      this.grow();
      this.put(this.slot());
    } else this.put(s);
    return true;
  }

  /** Parses `id` into this.key; false when it is not a UUID. */
  private parse(id: string): boolean {
    if (id.length !== 36 || id[8] !== '-' || id[13] !== '-' || id[18] !== '-' || id[23] !== '-') return false;
    const hex = (from: number, to: number) => (/^[0-9a-fA-F]+$/.test(id.slice(from, to)) ? parseInt(id.slice(from, to), 16) | 0 : NaN);
    const w0 = hex(0, 8);
    const w1 = hex(9, 13) * 65536 + hex(14, 18);
    const w2 = hex(19, 23) * 65536 + hex(24, 28);
    const w3 = hex(28, 36);
    if (Number.isNaN(w0) || Number.isNaN(w1) || Number.isNaN(w2) || Number.isNaN(w3)) return false;
    this.key[0] = w0;
    this.key[1] = w1 | 0;
    this.key[2] = w2 | 0;
    this.key[3] = w3;
    return true;
  }

  /** The slot holding this.key (>= 0), or -(the free slot where it would go) - 1. */
  private slot(): number {
    const k = this.key;
    const mask = this.used.length - 1;
    // ids are hashes (v5) or random (v4) already; mixing still spreads ids that differ only in a few bits
    let i = (Math.imul(k[0] ^ k[3], 0x9e3779b1) ^ k[1] ^ k[2]) & mask;
    for (;;) {
      if (this.used[i] === 0) return -i - 1;
      const o = i * 4;
      if (this.words[o] === k[0] && this.words[o + 1] === k[1] && this.words[o + 2] === k[2] && this.words[o + 3] === k[3]) return i;
      i = (i + 1) & mask;
    }
  }

  private put(s: number): void {
    const i = -s - 1;
    this.used[i] = 1;
    this.words.set(this.key, i * 4);
    this.count++;
  }

  private grow(): void {
    const words = this.words;
    const used = this.used;
    this.words = new Int32Array(words.length * 2);
    this.used = new Uint8Array(used.length * 2);
    this.count = 0;
    const saved = Int32Array.from(this.key);
    for (let i = 0; i < used.length; i++) {
      if (!used[i]) continue;
      this.key.set(words.subarray(i * 4, i * 4 + 4));
      this.put(this.slot());
    }
    this.key.set(saved);
  }
}
