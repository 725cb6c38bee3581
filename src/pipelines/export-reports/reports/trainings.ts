import { inRange, int } from '../sql-text.ts';
import type { ReportDefinition } from '../report-definition.ts';
import { trainingTypeLabel } from './labels.ts';

const filterOf = (conds: string[]): string => (conds.length ? conds.join(' and ') : 'true');

/**
 * Training report: one row per training, with enrollments and completions in the range, and the count of
 * users who gave feedback in the range with their average star rating (spec "Export Training Report").
 */
export const trainingsReport: ReportDefinition = {
  id: 'trainings',
  title: 'Training',
  schemaVersion: 1,
  description: 'One row per training: learning-path columns, enrollments, completions, feedback count and average stars.',
  rangeOn: 'enrollments: enrollment date; completions: completion date; feedback: date of the feedback',
  build(p) {
    const a = int(p.accountId);
    const enrolled = filterOf(inRange('e.enrolled_at', p.from, p.to));
    const completed = filterOf([`e.status = 'completed'`, ...inRange('e.completed_at', p.from, p.to)]);
    return {
      from: `trainings t
        left join (select e.training_id, count(*) filter (where ${enrolled}) as enrollments,
                          count(*) filter (where ${completed}) as completions
                   from enrollments e where e.account_id = ${a} group by e.training_id) es on es.training_id = t.id
        left join (select f.training_id, count(*) as n, round(avg(f.stars), 2) as stars
                   from feedback f where ${filterOf([`f.account_id = ${a}`, ...inRange('f.created_at', p.from, p.to)])}
                   group by f.training_id) fb on fb.training_id = t.id
        left join (select ti.child_id, string_agg(pt.name, '; ' order by pt.lo_id) as names, string_agg(pt.lo_id, '; ' order by pt.lo_id) as ids
                   from training_items ti join trainings pt on pt.id = ti.parent_id
                   where pt.account_id = ${a} and pt.type = 'learning_path' group by ti.child_id) inp on inp.child_id = t.id
        left join (select ti.parent_id, string_agg(c.lo_id, '; ' order by ti.position) as ids
                   from training_items ti join trainings c on c.id = ti.child_id
                   where c.account_id = ${a} group by ti.parent_id) kids on kids.parent_id = t.id and t.type = 'learning_path'`,
      where: [`t.account_id = ${a}`],
      orderBy: ['t.lo_id'],
      rowKey: 't.id',
      columns: [
        { name: 'LO ID', sql: 't.lo_id' },
        { name: 'Training Name', sql: 't.name' },
        { name: 'Type', sql: trainingTypeLabel('t.type') },
        { name: 'State', sql: 't.state' },
        { name: 'Author', sql: 't.author' },
        { name: 'Duration (minutes)', sql: 't.duration_minutes::text' },
        { name: 'Embedded Path', sql: `case when t.type = 'learning_path' then t.name else inp.names end` },
        { name: 'Embedded Path ID', sql: `case when t.type = 'learning_path' then t.lo_id else inp.ids end` },
        { name: 'Embedded Course ID', sql: 'kids.ids' },
        { name: 'Enrollments', sql: 'coalesce(es.enrollments, 0)::text' },
        { name: 'Completions', sql: 'coalesce(es.completions, 0)::text' },
        { name: 'Feedback Count', sql: 'coalesce(fb.n, 0)::text' },
        { name: 'Average Star Rating', sql: 'fb.stars::text' },
      ],
    };
  },
};
