import { inRange, int, isoDate } from '../sql-text.ts';
import type { ReportDefinition } from '../report-definition.ts';

/** User Skills (skill achievements). Retired skills are left out (spec, Workday export: "does not export retired skills"). */
export const userSkills: ReportDefinition = {
  id: 'user-skills',
  title: 'User Skills',
  schemaVersion: 1,
  description: 'One row per skill level a user achieved in the range; skills that are retired are excluded.',
  rangeOn: 'date achieved',
  build(p) {
    const a = int(p.accountId);
    return {
      userId: 'sa.user_id',
      from: `skill_achievements sa
        join skill_levels sl on sl.id = sa.skill_level_id
        join skills s on s.id = sl.skill_id
        left join trainings t on t.id = sa.training_id`,
      where: [`sa.account_id = ${a}`, 'not s.retired', ...inRange('sa.achieved_at', p.from, p.to)],
      orderBy: ['sa.id'],
      rowKey: 'sa.id',
      columns: [
        { name: 'Skill', sql: 's.name' },
        { name: 'Skill Level', sql: 'sl.level::text' },
        { name: 'Level Name', sql: 'sl.name' },
        { name: 'Credits', sql: 'sa.credits::text' },
        { name: 'Max Credits', sql: 'sl.max_credits::text' },
        { name: 'Date Achieved', sql: isoDate('sa.achieved_at') },
        { name: 'Training LO ID', sql: 't.lo_id' },
        { name: 'Training Name', sql: 't.name' },
      ],
    };
  },
};
