import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportPlanShape } from '../../src/platform/user-import/import-options.ts';
import { EmailKeys } from '../../src/platform/user-import/email-filter.ts';
import { userRowWriter } from '../../src/pipelines/import-users/row-writer.ts';
import { createStaging, ROWS, rowColumns } from '../../src/platform/user-import/staging.ts';
import { createTestDatabase } from '../helpers/test-context.ts';

// The header of the generated files: one column the mapping does not read, between mapped ones.
const HEADER = ['Name', 'Junk', 'Email', 'Manager', 'Type', 'Title', 'Dept'];
const shape: ImportPlanShape = {
  email: 'Email', name: 'Name', manager: 'Manager', userType: 'Type',
  profile: [{ key: 'title', column: 'Title' }], fields: [{ name: 'Dept', column: 'Dept' }], deleteFields: [], unmapped: [],
  requiredColumns: ['Email', 'Name', 'Manager', 'Type', 'Title', 'Dept'],
};
const positions = shape.requiredColumns.map((c) => HEADER.indexOf(c));

// CSV fields (as they appear in the file, balanced quotes) per column: clean values, spaces, quotes, escaped
// quotes, quotes in the middle, empty and blank values, non-ASCII, backslashes, tabs and newlines.
const EMAILS = ['a@x.test', ' b@y.example ', '"c@z.io"', '" D@W.org "', 'no-at', 'a@b', '@x.y', 'x@y.', 'x@.y', 'x@y.z', 'a@b@c.d', '', '""', '   ', '"a,b@c.d"', 'é@ü.漢', 'Mixed@Case.Test', '"q""x@y.z"', 'a"b"@c.d', 'tab\\@x.y'];
const NAMES = ['Ann', ' Bob ', '"Ann, Jr."', '"Ann ""Q"""', 'é ü 漢', '"tab\there"', 'back\\slash', '"multi\nline"', '', '""', 'a"b"c', '"  spaced  "'];
const TYPES = ['internal', 'INTERNAL', ' External ', '"external"', 'bogus', '', 'Internal2'];
const VALUES = ['Sales', ' R&D ', '"x, y"', '"say ""hi"""', 'ü', '', '"\\n"', 'a\\b', '"}{"'];

/** A seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return <T>(xs: T[]): T => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return xs[s % xs.length];
  };
}

function records(n: number, seed: number): string[] {
  const pick = random(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const byColumn: Record<string, string> = {
      Name: pick(NAMES), Junk: pick(VALUES), Email: pick(EMAILS), Manager: pick(EMAILS), Type: pick(TYPES), Title: pick(VALUES), Dept: pick(VALUES),
    };
    out.push(HEADER.map((h) => byColumn[h]).join(','));
  }
  return out;
}

function writeAll(recs: string[], filters = { managers: [], values: [] as Array<{ column: string; values: string[] }> }, docs = true) {
  const w = userRowWriter(shape, filters, 3, HEADER.length, positions, undefined, docs);
  const fast: string[] = [];
  const reference: string[] = [];
  recs.forEach((r, i) => {
    const rec = Buffer.from(r);
    const out = Buffer.alloc(w.maxBytes(rec.length));
    fast.push(out.toString('utf8', 0, w.write(rec, i + 2, undefined, out, 0)));
    reference.push(w.rowAsText(rec, i + 2, undefined));
  });
  return { fast, reference };
}

describe('the user row writer (CSV record -> normalized staging row)', () => {
  it('writes byte for byte what the string path gives, for every kind of value', () => {
    const recs = records(5000, 42);
    const { fast, reference } = writeAll(recs);
    for (let i = 0; i < recs.length; i++) expect({ rec: recs[i], row: fast[i] }).toEqual({ rec: recs[i], row: reference[i] });
    // with a value filter too
    const filtered = writeAll(recs, { managers: [], values: [{ column: 'Dept', values: ['Sales', 'x, y'] }] });
    expect(filtered.fast).toEqual(filtered.reference);
    expect(filtered.fast.filter((r) => r.includes('\tt\tf\t')).length).toBeGreaterThan(0);
    // without the documents: the same rows with both NULL
    const bare = writeAll(recs, undefined, false);
    expect(bare.fast).toEqual(bare.reference);
    expect(bare.fast).toEqual(fast.map((r) => r.split('\t').slice(0, -2).join('\t') + '\t\\N\t\\N\n'));
  });

  describe('against PostgreSQL', () => {
    let db: Awaited<ReturnType<typeof createTestDatabase>>;
    let client: pg.Client;
    beforeAll(async () => {
      db = await createTestDatabase();
      client = new pg.Client(db.url);
      await client.connect();
    });
    afterAll(async () => {
      await client?.end();
      await db?.drop();
    });

    it("stages the values PostgreSQL's own CSV reader, btrim, lower and the email rule give", async () => {
      const recs = records(3000, 7);
      const { fast } = writeAll(recs);
      await client.query('begin');
      // PostgreSQL reads the same records as CSV (the reference) ...
      await client.query(`create temp table raw (n serial, ${HEADER.map((_, i) => `c${i} text`).join(', ')}) on commit drop`);
      await pipeline(Readable.from([recs.join('\n') + '\n']), client.query(copyFrom(`copy raw (${HEADER.map((_, i) => `c${i}`).join(', ')}) from stdin (format csv)`)));
      // ... and our rows go into the import's staging table.
      await createStaging(client, shape);
      await pipeline(Readable.from([fast.join('')]), client.query(copyFrom(`copy ${ROWS} (${rowColumns(shape).join(', ')}) from stdin`)));
      const v = (h: string) => `nullif(btrim(r.c${HEADER.indexOf(h)}), '')`;
      const RE = `'^[^@[:space:],;<>"]+@[^@[:space:],;<>"]+\\.[^@[:space:],;<>"]+$'`;
      const mismatches = await client.query(`
        select r.n, r.c0, r.c2, r.c3, r.c4, r.c5, r.c6, s.email, s.name, s.mgr, s.user_type, s.p0, s.f0, s.reason, s.profile_doc, s.fields_doc from raw r full join ${ROWS} s on s.line = r.n + 1
        where r.n is null or s.line is null
          or s.email is distinct from ${v('Email')} or s.em is distinct from lower(${v('Email')})
          or s.name is distinct from ${v('Name')} or s.mgr is distinct from lower(${v('Manager')})
          or s.user_type is distinct from lower(${v('Type')})
          or s.p0 is distinct from ${v('Title')} or s.f0 is distinct from ${v('Dept')}
          or s.profile_doc::jsonb is distinct from jsonb_strip_nulls(jsonb_build_object('title', ${v('Title')}))
          or s.fields_doc::jsonb is distinct from jsonb_strip_nulls(jsonb_build_object('Dept', ${v('Dept')}))
          -- e-mail addresses (the user's and the manager's) must also be ASCII
          or (s.reason_field is not distinct from 'email') is distinct from (${v('Email')} is null or not ${v('Email')} ~ ${RE} or ${v('Email')} ~ '[^\x01-\x7f]')
          or (s.reason is null) is distinct from coalesce(${v('Email')} ~ ${RE} and ${v('Email')} !~ '[^\x01-\x7f]' and ${v('Name')} is not null
            and (${v('Type')} is null or lower(${v('Type')}) in ('internal', 'external'))
            and (${v('Manager')} is null or (${v('Manager')} ~ ${RE} and ${v('Manager')} !~ '[^\x01-\x7f]'))
            -- one's own manager: decided here when both keys are ASCII, else by the database later (finishRows)
            and not coalesce(lower(${v('Manager')}) = lower(${v('Email')}) and ${v('Email')} !~ '[^\x01-\x7f]' and ${v('Manager')} !~ '[^\x01-\x7f]', false), false)
        limit 5`);
      await client.query('rollback');
      expect(mismatches.rows).toEqual([]);
    });
  });

  it('tells whether an e-mail may appear twice, in fixed memory, and when lower-casing must be left to the database', () => {
    const distinct = new EmailKeys();
    for (let i = 0; i < 300_000; i++) distinct.addString(`user${i}@example.test`);
    expect(distinct.mayHaveDuplicates).toBe(false);
    expect(distinct.needsDatabaseLower).toBe(false);
    const twice = new EmailKeys();
    twice.addString('Ann@X.test');
    twice.addString('bob@x.test');
    twice.addString('ann@x.TEST');
    expect(twice.mayHaveDuplicates).toBe(true);
    const accents = new EmailKeys();
    accents.addString('émile@x.test');
    expect(accents.needsDatabaseLower).toBe(true);
    // the writer feeds it: a file with a duplicate (different case, the second quoted) and one without
    const feed = (recs: string[]) => {
      const keys = new EmailKeys();
      const w = userRowWriter(shape, { managers: [], values: [] }, 1, HEADER.length, positions, keys);
      recs.forEach((r, i) => {
        const rec = Buffer.from(r);
        w.write(rec, i + 2, undefined, Buffer.alloc(w.maxBytes(rec.length)), 0);
      });
      return keys;
    };
    expect(feed(['Ann,,a@x.test,,,,', 'Bob,,b@x.test,a@x.test,,,']).mayHaveDuplicates).toBe(false);
    expect(feed(['Ann,,a@x.test,,,,', 'Ann,,"A@X.test",,,,']).mayHaveDuplicates).toBe(true);
    expect(feed(['Ann,,not-an-email,,,,', 'Ann, ,NOT-an-email,,,,']).mayHaveDuplicates).toBe(true);
    // and collects the distinct manager keys, folded (both paths), unless one needs the database's lower()
    expect(feed(['Ann,,a@x.test,B@X.test,,,', 'Bob,,b@x.test,"b@x.TEST",,,', 'Cy,,c@x.test,  a@x.test ,,,', 'Di,,d@x.test,,,,']).managers?.sort()).toEqual(['a@x.test', 'b@x.test']);
    expect(feed(['Ann,,a@x.test,"B@X.test, ",,,', 'Bob,,b@x.test,not an email,,,']).managers?.sort()).toEqual(['b@x.test,', 'not an email']);
    expect(feed(['Ann,,a@x.test,émile@x.test,,,']).managers).toBeNull();
  });
});
