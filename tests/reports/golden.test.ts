import fs from 'node:fs/promises';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReportStream } from '../../src/pipelines/export-reports/report-stream.ts';
import type { ReportId, ReportParams, TranscriptStatus } from '../../src/pipelines/export-reports/report-definition.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { buildGoldenAccount, RANGE } from './golden-account.ts';

// Golden files: tests/reports/golden/<name>.csv. Regenerate after a deliberate change with
// UPDATE_GOLDEN=1 npx vitest run tests/reports/golden.test.ts, review the diff, and bump the report's schemaVersion
// when its columns or formats changed.
const goldenDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');

let ctx: TestContext;
let accountId: number;
beforeAll(async () => {
  ctx = await createTestContext();
  ({ accountId } = await buildGoldenAccount(ctx));
});
afterAll(async () => {
  await ctx?.destroy();
});

async function csvOf(id: ReportId, p: Omit<ReportParams, 'accountId'>): Promise<{ csv: string; rows: number }> {
  const r = await openReportStream(ctx, id, { accountId, ...p });
  const csv = await text(r.stream);
  return { csv, rows: (await r.done).rows };
}

async function matchGolden(name: string, csv: string): Promise<void> {
  const file = path.join(goldenDir, `${name}.csv`);
  if (process.env.UPDATE_GOLDEN) {
    await fs.mkdir(goldenDir, { recursive: true });
    await fs.writeFile(file, csv);
  }
  expect(csv).toBe(await fs.readFile(file, 'utf8'));
}

describe('report golden files', () => {
  const statuses: TranscriptStatus[] = ['all', 'completed', 'in_progress', 'not_started', 'unenrolled'];
  for (const status of statuses) {
    it(`learner transcript, status ${status}`, async () => {
      const { csv } = await csvOf('learner-transcript', { ...RANGE, status });
      await matchGolden(`learner-transcript-${status}`, csv);
    });
  }

  it('learner transcript without a range lists every enrollment of the account only', async () => {
    const { csv, rows } = await csvOf('learner-transcript', {});
    expect(rows).toBe(10);
    expect(csv).not.toContain('Other course');
    await matchGolden('learner-transcript-everything', csv);
  });

  for (const id of ['user-skills', 'users', 'trainings', 'feedback', 'gamification', 'unified'] as const) {
    it(`${id} report`, async () => {
      const { csv } = await csvOf(id, { ...RANGE });
      expect(csv).not.toContain('Other');
      await matchGolden(id, csv);
    });
  }

  it('unified report with a chosen set of reports and a status filter', async () => {
    const { csv } = await csvOf('unified', { ...RANGE, status: 'completed', include: ['learner-transcript', 'trainings'] });
    await matchGolden('unified-transcript-trainings', csv);
  });
});
