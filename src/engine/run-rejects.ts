import type { AppContext } from '../app-context.ts';
import { getRun } from './runs.ts';

export interface RejectView {
  source: string;
  line: number | null;
  recordId: string | null;
  field: string | null;
  reason: string;
}

/**
 * The first rejects of a run, in the error report's order (source, line, then as recorded), and how many there
 * are: what the run's page lists so that an admin sees which records were refused without opening the CSV
 * (GET /api/v1/runs/{id}/errors.csv holds them all). The account is checked through getRun.
 */
export async function firstRejects(ctx: AppContext, accountId: number, runId: number, limit: number): Promise<{ total: number; rejects: RejectView[] }> {
  await getRun(ctx, accountId, runId);
  const [rows, count] = await Promise.all([
    ctx.db.selectFrom('run_rejects').select(['source', 'line', 'record_id', 'field', 'reason']).where('run_id', '=', runId)
      .orderBy('source').orderBy((eb) => eb.fn.coalesce('line', eb.lit(0))).orderBy('seq').limit(limit).execute(),
    ctx.db.selectFrom('run_rejects').select((eb) => eb.fn.countAll<string>().as('n')).where('run_id', '=', runId).executeTakeFirstOrThrow(),
  ]);
  return { total: Number(count.n), rejects: rows.map((r) => ({ source: r.source, line: r.line, recordId: r.record_id, field: r.field, reason: r.reason })) };
}
