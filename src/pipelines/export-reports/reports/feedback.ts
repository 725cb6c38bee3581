import { inRange, int, isoDate } from '../sql-text.ts';
import type { ReportDefinition } from '../report-definition.ts';
import { trainingTypeLabel } from './labels.ts';

/** Feedback report: one row per feedback (star rating and comment) given in the range. */
export const feedbackReport: ReportDefinition = {
  id: 'feedback',
  title: 'Feedback',
  schemaVersion: 1,
  description: 'One row per feedback a learner gave on a training in the range.',
  rangeOn: 'date of the feedback',
  build(p) {
    return {
      userId: 'f.user_id',
      from: 'feedback f join trainings t on t.id = f.training_id',
      where: [`f.account_id = ${int(p.accountId)}`, ...inRange('f.created_at', p.from, p.to)],
      orderBy: ['f.id'],
      rowKey: 'f.id',
      columns: [
        { name: 'LO ID', sql: 't.lo_id' },
        { name: 'Training Name', sql: 't.name' },
        { name: 'Type', sql: trainingTypeLabel('t.type') },
        { name: 'Stars', sql: 'f.stars::text' },
        { name: 'Comment', sql: 'f.comment' },
        { name: 'Date', sql: isoDate('f.created_at') },
      ],
    };
  },
};
