import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { CsvToCopy, decodeRecord } from '../../src/kit/csv/csv-to-copy.ts';
import { readCsv } from '../../src/kit/csv/read-csv.ts';

/** Runs CsvToCopy over `input`, fed in chunks of `chunk` bytes (1 = byte by byte, to cross every boundary). */
async function toCopy(input: string | Buffer, chunk = 1 << 16) {
  const buf = Buffer.isBuffer(input) ? input : Buffer.from(input);
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) parts.push(buf.subarray(i, i + chunk));
  const t = new CsvToCopy({ file: 'users.csv', fileNo: 7 });
  const out: Buffer[] = [];
  await pipeline(Readable.from(parts), t, new Writable({ write: (c, _e, cb) => (out.push(c), cb()) }));
  return { header: t.header, records: t.records, blank: t.blankLines, out: Buffer.concat(out).toString('utf8') };
}

async function readAll(input: string | Buffer) {
  const csv = await readCsv(Readable.from([Buffer.isBuffer(input) ? input : Buffer.from(input)]), 'users.csv');
  const rows = [];
  for await (const r of csv.records) rows.push(r);
  return { header: csv.header, rows };
}

const TRICKY = '\ufeffemail,name,note\r\n"a@x.test","Ann ""The Boss""","line1\r\nline2, with comma"\r\n\r\nb@x.test,Bob,\r\n  \r\nc@x.test,Cy,"é ü 漢"\r\n';

describe('CsvToCopy (bulk path into COPY)', () => {
  it('passes records through with file number and start line; BOM, CRLF, quotes, embedded newlines, blank lines', async () => {
    for (const chunk of [1, 3, 1 << 16]) {
      const r = await toCopy(TRICKY, chunk);
      expect(r.header).toEqual(['email', 'name', 'note']);
      expect(r.records).toBe(3);
      expect(r.blank).toBe(2);
      expect(r.out).toBe('"a@x.test","Ann ""The Boss""","line1\r\nline2, with comma",7,2,\nb@x.test,Bob,,7,5,\nc@x.test,Cy,"é ü 漢",7,7,\n');
    }
  });

  it('turns ragged rows and NUL bytes into problem rows instead of failing', async () => {
    const r = await toCopy('a,b,c\n1,2\n1,2,3,4\n1,\u0000,3\n7,8,9');
    expect(r.out).toBe(',,,7,2,"expected 3 fields (as in the header), found 2"\n,,,7,3,"expected 3 fields (as in the header), found 4"\n,,,7,4,"the record contains a NUL byte"\n7,8,9,7,5,\n');
  });

  it('fails on invalid UTF-8 naming the file and the line, wherever the chunk boundary is', async () => {
    const bad = Buffer.concat([Buffer.from('email,name\na@x.test,Ann\r\n"b@x.test","multi\nline"\nc@x.test,B'), Buffer.from([0xe9]), Buffer.from('r\n')]);
    for (const chunk of [1, 5, 1 << 16]) await expect(toCopy(bad, chunk)).rejects.toMatchObject({ code: 'LMC_ERR_CSV_INVALID_UTF8', message: expect.stringContaining('users.csv line 5') });
    // a character cut off at the very end of the file
    await expect(toCopy(Buffer.concat([Buffer.from('a\nb'), Buffer.from([0xc3])]))).rejects.toMatchObject({ code: 'LMC_ERR_CSV_INVALID_UTF8', message: expect.stringContaining('line 2') });
  });

  it('skips the line of a stray quote and goes on (issue 13.10); fails when it cannot resynchronise, and on a file without header', async () => {
    // A quote never closed: its line becomes a problem row, the next lines are read again.
    for (const chunk of [1, 3, 1 << 16]) {
      const r = await toCopy('a,b\n1,2\n3,"four\n5,6\n', chunk);
      expect(r.out).toBe('1,2,7,2,\n,,7,3,"a quote opened on line 3 is never closed (a stray quote?); the line was skipped"\n5,6,7,4,\n');
      expect(r.records).toBe(3);
    }
    // Two stray quotes joined lines 3-4 into a record of the wrong width: both are skipped, line 5 is kept.
    expect((await toCopy('a,b\n1,2\n3,fo"ur\n5,si"x\n7,8')).out).toBe('1,2,7,2,\n,,7,3,"a quote opened on line 3 is never closed (a stray quote?); the line was skipped"\n,,7,4,"a quote opened on line 4 is never closed (a stray quote?); the line was skipped"\n7,8,7,5,\n');
    // A stray quote in the header cannot be resynchronised.
    await expect(toCopy('a,"b\n1,2\n')).rejects.toMatchObject({ code: 'LMC_ERR_CSV_UNTERMINATED_QUOTE', message: expect.stringContaining('users.csv line 1') });
    await expect(toCopy('\n\r\n  \n')).rejects.toMatchObject({ code: 'LMC_ERR_CSV_NO_HEADER' });
    await expect(toCopy('')).rejects.toMatchObject({ code: 'LMC_ERR_CSV_NO_HEADER' });
  });

  it('handles a last record without newline, and LF files', async () => {
    expect((await toCopy('h1,h2\nx,y')).out).toBe('x,y,7,2,\n');
  });

  it('decodes a record the way PostgreSQL reads it', () => {
    expect(decodeRecord('a,"b,""c""",,"x\ny"')).toEqual(['a', 'b,"c"', '', 'x\ny']);
  });
});

describe('readCsv (csv-parse, record by record)', () => {
  it('reads BOM, CRLF, quotes, embedded newlines with the start line of each record; skips blank lines', async () => {
    const { header, rows } = await readAll(TRICKY);
    expect(header).toEqual(['email', 'name', 'note']);
    expect(rows.map((r) => [r.line, r.values.email, r.values.name, r.values.note])).toEqual([
      [2, 'a@x.test', 'Ann "The Boss"', 'line1\r\nline2, with comma'],
      [5, 'b@x.test', 'Bob', ''],
      [7, 'c@x.test', 'Cy', 'é ü 漢'],
    ]);
  });

  it('flags ragged rows and names file and line of invalid UTF-8', async () => {
    const { rows } = await readAll('a,b\n1\n1,2,3\n');
    expect(rows.map((r) => r.ragged)).toEqual([{ expected: 2, found: 1 }, { expected: 2, found: 3 }]);
    await expect(readAll(Buffer.concat([Buffer.from('a,b\n1,2\n3,'), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]))).rejects.toMatchObject({ code: 'LMC_ERR_CSV_INVALID_UTF8', message: expect.stringContaining('users.csv line 3') });
  });
});

describe('a header naming a column twice (issue 19, point 3)', () => {
  // Blank lines before the header: the line named is the header's own, not 1.
  const DUP = '\n\nEmail,Name,Manager, email \r\na@x.test,Ann,,b@x.test\r\n';
  const WHERE = /users\.csv line 3, column 4: "email" repeats column 1 \("Email"\)/;
  it('the bulk scanner (user import) refuses it with file, line and column, on any chunk boundary', async () => {
    for (const chunk of [1, 5, 1 << 16]) {
      const e = await toCopy(DUP, chunk).then(() => null, (err: unknown) => err as { code: string; message: string; data: Record<string, unknown> });
      expect(e?.code).toBe('LMC_ERR_CSV_DUPLICATE_HEADER');
      expect(e?.message).toMatch(WHERE);
      expect(e?.data).toMatchObject({ file: 'users.csv', line: 3, column: 4, firstColumn: 1 });
    }
  });
  it('the record reader (xAPI import, mapping templates, the user import header check) refuses it too', async () => {
    await expect(readAll(DUP)).rejects.toThrow(WHERE);
    await expect(readAll(DUP)).rejects.toMatchObject({ code: 'LMC_ERR_CSV_DUPLICATE_HEADER' });
  });
  it('distinct names and unnamed columns pass', async () => {
    expect((await readAll('a,b,,\n1,2,3,4\n')).header).toEqual(['a', 'b', '', '']);
    expect((await toCopy('a,b,,\n1,2,3,4\n')).records).toBe(1);
  });
});
