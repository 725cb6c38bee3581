import { z } from 'zod';
import { definePipelineAction } from '../../pipeline-action.ts';
import { exportFileName } from '../export-file-name.ts';
import { exportToDrop } from '../export-to-drop.ts';
import { locationSchema, zipSchema } from './export-options.ts';

export const exportUserSkillsOptions = z.object({ location: locationSchema('user-skills'), zip: zipSchema });

/**
 * "Export User Skills": the skill achievements of the run's window (retired skills excluded) to
 * export/<location>/skill_achievements_<from>_to_<to>.csv. Scheduled runs get contiguous windows from the engine.
 */
export const exportUserSkills = definePipelineAction<z.infer<typeof exportUserSkillsOptions>>({
  id: 'export-user-skills',
  displayName: 'Export User Skills',
  kind: 'export',
  description: 'Skill achievements (user, skill, level, credits, date achieved; active skills only) in the period, as a dated CSV in the export folder.',
  options: exportUserSkillsOptions as never,
  scheduleUnits: ['days', 'hours'],
  windowed: true,
  supportsDryRun: false,
  async run(rc) {
    const o = exportUserSkillsOptions.parse(rc.options ?? {});
    const { since, until } = rc.window;
    rc.progress(0, undefined, 'exporting');
    const files = await rc.files();
    const out = await exportToDrop(rc.ctx, files, {
      report: 'user-skills',
      params: { accountId: rc.accountId, from: since ?? undefined, to: until },
      location: o.location,
      fileName: exportFileName('skill_achievements', since, until),
      zip: o.zip,
      runId: rc.runId,
      signal: rc.signal,
    });
    rc.count('read', out.rows);
    rc.count('created', out.rows);
    rc.progress(out.rows, out.rows, 'done');
    rc.log('info', `exported ${out.rows} skill achievements to ${out.path}`, { path: out.path, rows: out.rows });
  },
});
