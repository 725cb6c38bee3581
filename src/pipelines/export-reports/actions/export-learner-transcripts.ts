import { z } from 'zod';
import { definePipelineAction } from '../../pipeline-action.ts';
import { exportFileName } from '../export-file-name.ts';
import { exportToDrop } from '../export-to-drop.ts';
import { TRANSCRIPT_STATUSES } from '../report-definition.ts';
import { locationSchema, zipSchema } from './export-options.ts';

export const exportLearnerTranscriptsOptions = z.object({
  location: locationSchema('learner-transcripts'),
  zip: zipSchema,
  status: z.enum(TRANSCRIPT_STATUSES).default('all').describe('which records: all, completed, in_progress, not_started, unenrolled (docs/reports.md)'),
});

/**
 * "Export Learner Transcripts": the Learner Transcript of the run's window to
 * export/<location>/learner_transcript_<from>_to_<to>.csv (optionally zipped, the spec's December 2020 note).
 */
export const exportLearnerTranscripts = definePipelineAction<z.infer<typeof exportLearnerTranscriptsOptions>>({
  id: 'export-learner-transcripts',
  displayName: 'Export Learner Transcripts',
  kind: 'export',
  description: 'Learner Transcript (one row per learner per enrollment, learning-path columns) for the period, as a dated CSV or zip in the export folder.',
  options: exportLearnerTranscriptsOptions as never,
  scheduleUnits: ['days', 'hours'],
  windowed: true,
  supportsDryRun: false,
  async run(rc) {
    const o = exportLearnerTranscriptsOptions.parse(rc.options ?? {});
    const { since, until } = rc.window;
    rc.progress(0, undefined, 'exporting');
    const files = await rc.files();
    const out = await exportToDrop(rc.ctx, files, {
      report: 'learner-transcript',
      params: { accountId: rc.accountId, from: since ?? undefined, to: until, status: o.status },
      location: o.location,
      fileName: exportFileName('learner_transcript', since, until),
      zip: o.zip,
      runId: rc.runId,
      signal: rc.signal,
    });
    rc.count('read', out.rows);
    rc.count('created', out.rows);
    rc.progress(out.rows, out.rows, 'done');
    rc.log('info', `exported ${out.rows} learner transcript rows to ${out.path}`, { path: out.path, rows: out.rows });
  },
});
