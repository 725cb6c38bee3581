import { z } from 'zod';
import { definePipelineAction } from '../pipeline-action.ts';
import { locationSchema, zipSchema } from '../export-reports/actions/export-options.ts';
import { fileDate } from '../export-reports/export-file-name.ts';
import { streamToDrop } from '../export-reports/export-to-drop.ts';
import { XapiExportErrors } from './errors.ts';
import { getXapiExportConfig } from './export-config.ts';
import { openXapiExportStream } from './export-stream.ts';

export const exportXapiOptions = z.object({
  // Optional in the schema so that the action's settings can be read (and shown) before one is chosen; a run
  // without one fails saying so.
  configurationId: z.number().int().positive().optional().describe('the xAPI export configuration (JSON paths → columns) to use'),
  zip: zipSchema,
  location: locationSchema('xapi'),
});

/** `xapi_statements_<from>_to_<to>.csv`, dated like the report exports (export-file-name.ts). */
export const xapiExportFileName = (from: Date | null | undefined, to: Date): string => `xapi_statements_${fileDate(from)}_to_${fileDate(to)}.csv`;

/**
 * "Export xAPI": the statements stored in the run's window (voided ones excluded), one CSV row each with the
 * configuration's columns (N/A where a statement lacks a path), to export/<location>/xapi_statements_<from>_to_<to>.csv
 * (optionally zipped). Scheduled runs continue from the last successful window, like the report exports.
 */
export const exportXapiAction = definePipelineAction<z.infer<typeof exportXapiOptions>>({
  id: 'export-xapi',
  displayName: 'Export xAPI',
  kind: 'export',
  description: 'xAPI statements stored in the period (voided ones excluded) as CSV rows, with the columns of an export configuration (JSON path → column; N/A where a statement lacks the path).',
  options: exportXapiOptions as never,
  scheduleUnits: ['days', 'hours'],
  windowed: true,
  supportsDryRun: false,
  screens: { mapping: 'xapi-export' },
  async run(rc) {
    const o = exportXapiOptions.parse(rc.options ?? {});
    if (!o.configurationId) {
      throw XapiExportErrors.BAD_CONFIG.create({ detail: 'no export configuration chosen for this action (its Mapping page, or options.configurationId)', field: 'configurationId' });
    }
    const config = await getXapiExportConfig(rc.ctx.db, rc.accountId, o.configurationId, 'configurationId');
    const { since, until } = rc.window;
    rc.progress(0, undefined, 'exporting');
    const files = await rc.files();
    const out = await streamToDrop(files, { location: o.location, fileName: xapiExportFileName(since, until), zip: o.zip, date: until, runId: rc.runId, signal: rc.signal }, () =>
      openXapiExportStream(rc.ctx, config.columns, { accountId: rc.accountId, from: since, to: until }),
    );
    rc.count('read', out.rows);
    rc.count('created', out.rows);
    rc.progress(out.rows, out.rows, 'done');
    rc.log('info', `exported ${out.rows} xAPI statements with configuration "${config.name}" to ${out.path}`, { path: out.path, rows: out.rows, configurationId: config.id });
  },
});
