import type { AppContext } from '../app-context.ts';

/**
 * An action's word on its running run that the counts cannot say (e.g. "no file matched the configured name"):
 * stored as the run's note, shown with the run, and part of its notification (notifyRunFinished puts the note
 * before the counts). Only while the run is running: a finished run's record is final.
 * @example await setRunNote(rc.ctx, rc.runId, 'no file in import/xapi/ matches "activity_*.csv"')
 */
export async function setRunNote(ctx: AppContext, runId: number, note: string): Promise<void> {
  await ctx.db.updateTable('runs').set({ note }).where('id', '=', runId).where('status', '=', 'running').execute();
}
