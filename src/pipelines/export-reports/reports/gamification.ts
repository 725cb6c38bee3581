import { inRange, int, isoDate } from '../sql-text.ts';
import type { ReportDefinition } from '../report-definition.ts';

/** Gamification report: one row per points award in the range. */
export const gamificationReport: ReportDefinition = {
  id: 'gamification',
  title: 'Gamification',
  schemaVersion: 1,
  description: 'One row per gamification points award in the range.',
  rangeOn: 'date awarded',
  build(p) {
    return {
      userId: 'g.user_id',
      from: 'gamification_points g left join trainings t on t.id = g.training_id',
      where: [`g.account_id = ${int(p.accountId)}`, ...inRange('g.awarded_at', p.from, p.to)],
      orderBy: ['g.id'],
      rowKey: 'g.id',
      columns: [
        { name: 'Points', sql: 'g.points::text' },
        { name: 'Reason', sql: 'g.reason' },
        { name: 'LO ID', sql: 't.lo_id' },
        { name: 'Training Name', sql: 't.name' },
        { name: 'Date Awarded', sql: isoDate('g.awarded_at') },
      ],
    };
  },
};
