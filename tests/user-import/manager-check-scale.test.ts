import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { importCsv, memFiles, newAccount } from './helpers.ts';

// The manager-cycle check must stay near-linear on every supported PostgreSQL (15-18). On 15 and 16 it planned
// its "manager outside the graph" anti join as a nested loop over two CTE scans (no statistics on a CTE's
// columns before 17): 6.4 s at 37,500 managers, 72 s at 125,000, against 0.05 s and 0.23 s on 17. Run on 15
// with scripts/test-on-postgres15.sh (the embedded 17 passes either way).

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.destroy();
});

const MANAGERS = 20_000;
const HEAD = 'Email,Name,Manager,Title,Dept\n';

describe('manager-cycle check at scale', () => {
  it(`checks ${MANAGERS} managers (each with one report) in well under a few seconds`, async () => {
    const acc = await newAccount(ctx);
    // A ten-ary tree of managers (m_i reports to m_((i-1)/10)), each with one report, written from the last
    // manager down: every manager comes after those it leads, as in the bench's files. A nested loop then scans
    // most of the graph for each manager's own manager: quadratic.
    let csv = HEAD;
    for (let i = MANAGERS - 1; i >= 0; i--) {
      const boss = i === 0 ? '' : `m${Math.floor((i - 1) / 10)}@x.test`;
      csv += `r${i}@x.test,R ${i},m${i}@x.test,Dev,Ops\nm${i}@x.test,M ${i},${boss},Lead,Ops\n`;
    }
    let phases: Record<string, number> | undefined;
    const first = await importCsv(ctx, acc.id, memFiles({ 'users.csv': csv }), {
      log: (_level, message, data) => {
        if (message === 'users imported') phases = data?.phasesMs as Record<string, number>;
      },
    });
    expect(first.rejects).toEqual([]);
    expect(first.result).toMatchObject({ created: 2 * MANAGERS, applied: true });
    // Well under a second on 15 and 17 alike since the fix; the quadratic plan takes far longer at this size on 15.
    expect(phases?.cycles, JSON.stringify(phases)).toBeLessThan(3000);
  }, 300_000);
});
