import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserImportOptionsSchema } from '../../src/platform/user-import/import-options.ts';
import { csvSource } from '../../src/pipelines/import-users/csv-source.ts';
import { runUserImport } from '../../src/platform/user-import/run-user-import.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { MAPPING, newAccount } from './helpers.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.destroy();
});

describe('user import progress (issue 15.4: a large file no longer sits at "0 / 1")', () => {
  it('reports the rows read while one file is still being read, then moves through numbered checks', async () => {
    const acc = await newAccount(ctx);
    // One file arriving slowly (as a large file does): 20 chunks of 500 rows, 100 ms apart.
    async function* slow() {
      yield 'Email,Name,Manager,Title,Dept\n';
      for (let c = 0; c < 20; c++) {
        let chunk = '';
        for (let i = 0; i < 500; i++) chunk += `u${c * 500 + i}@p.test,User ${c * 500 + i},,Dev,R&D\n`;
        yield chunk;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const seen: Array<{ done: number; total?: number; phase?: string }> = [];
    const result = await runUserImport(ctx, {
      accountId: acc.id,
      connectionId: 1,
      options: UserImportOptionsSchema.parse({ mapping: MAPPING }),
      dryRun: false,
      approved: false,
      source: csvSource([{ name: 'big.csv', open: async () => Readable.from(slow()) }]),
      reject: async () => undefined,
      count: () => undefined,
      changeSet: async () => undefined,
      requireApproval: () => { throw new Error('no approval expected'); },
      progress: (done, total, phase) => seen.push({ done, total, phase }),
    });
    expect(result.read).toBe(10_000);
    const reading = seen.filter((p) => p.phase?.startsWith('reading big.csv:'));
    // Several reports while the file was read, each with more rows, none of them the whole file yet.
    expect(reading.length).toBeGreaterThanOrEqual(2);
    expect(reading.some((p) => p.done > 0 && p.done < 10_000)).toBe(true);
    expect(reading.map((p) => p.done)).toEqual([...reading.map((p) => p.done)].sort((a, b) => a - b));
    const checks = seen.filter((p) => p.total === 5);
    expect(checks.map((p) => p.done)).toEqual([0, 1, 2, 3, 4]);
    expect(checks[0].phase).toBe('checking 10,000 rows: addresses and values');
  }, 120_000);
});
