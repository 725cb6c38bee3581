import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { StatementIdSet } from '../../src/pipelines/import-xapi/id-set.ts';
import { statementIdOf } from '../../src/pipelines/import-xapi/statement-id.ts';

// The dry run's set of the ids it would create (16-byte keys in a typed array): it must answer exactly as a Set
// of the id strings did, through its growth, for every id the import makes and any other string.

describe('StatementIdSet (the dry run ids)', () => {
  it('answers as a Set of strings through many growths: new ids once, repeats never, others absent', () => {
    const set = new StatementIdSet();
    const plain = new Set<string>();
    const config = crypto.randomUUID();
    for (let i = 0; i < 60_000; i++) {
      // the import's ids, every seventh one repeated later
      const id = statementIdOf(config, { row: String(i % 7 === 6 ? i - 3 : i) });
      expect(set.add(id)).toBe(!plain.has(id));
      plain.add(id);
    }
    expect(set.size).toBe(plain.size);
    for (const id of plain) expect(set.has(id)).toBe(true);
    for (let i = 0; i < 5_000; i++) expect(set.has(crypto.randomUUID())).toBe(false);
  });

  it('treats an id in capitals as the same id, and keeps ids that are not UUIDs apart', () => {
    const set = new StatementIdSet();
    const id = crypto.randomUUID();
    expect(set.add(id)).toBe(true);
    expect(set.add(id.toUpperCase())).toBe(false);
    expect(set.has('00000000-0000-0000-0000-000000000000')).toBe(false);
    expect(set.add('00000000-0000-0000-0000-000000000000')).toBe(true);
    expect(set.has('00000000-0000-0000-0000-000000000000')).toBe(true);
    // 36 characters with dashes in place but not hex: not confused with any UUID
    expect(set.add('zzzzzzzz-0000-0000-0000-000000000000')).toBe(true);
    expect(set.add('not an id')).toBe(true);
    expect(set.add('not an id')).toBe(false);
    expect(set.size).toBe(4);
  });
});
