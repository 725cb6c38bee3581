import { inRange, int, isoDate } from '../sql-text.ts';
import type { ReportDefinition, ReportParams, TranscriptStatus } from '../report-definition.ts';
import { ReportErrors } from '../errors.ts';
import { TRANSCRIPT_STATUSES } from '../report-definition.ts';

/**
 * Which enrollments a status filter keeps and which date the range applies to. The spec's meanings, each
 * within [from, to): all = changed in the range (so contiguous windows export every change once);
 * completed = completed in the range; in progress = in progress and active in the range; not started =
 * enrolled in the range and not started; unenrolled = unenrolled in the range.
 */
function statusFilter(status: TranscriptStatus, p: ReportParams): string[] {
  switch (status) {
    case 'all':
      return inRange('e.updated_at', p.from, p.to);
    case 'completed':
      return [`e.status = 'completed'`, ...inRange('e.completed_at', p.from, p.to)];
    case 'in_progress':
      return [`e.status = 'in_progress'`, ...inRange('e.updated_at', p.from, p.to)];
    case 'not_started':
      return [`e.status = 'not_started'`, ...inRange('e.enrolled_at', p.from, p.to)];
    case 'unenrolled':
      return [`e.status = 'unenrolled'`, ...inRange('e.unenrolled_at', p.from, p.to)];
    default:
      throw ReportErrors.BAD_STATUS.create({ detail: `${String(status)} (one of ${TRANSCRIPT_STATUSES.join(', ')})`, field: 'status' });
  }
}

/**
 * Learner Transcript: one row per enrollment. A course taken through a learning path has Type "Learning Path"
 * and the Embedded Path columns; the path's own enrollment is the "Learning Path (Higher Level)" row; a
 * course taken alone is "Course" with the Embedded columns empty.
 */
export const learnerTranscript: ReportDefinition = {
  id: 'learner-transcript',
  title: 'Learner Transcript',
  schemaVersion: 1,
  description: 'One row per learner per enrollment, with learning-path columns, status, progress, score, time spent and skills.',
  rangeOn: 'depends on the status filter: all/in_progress = last change, completed = completion, not_started = enrollment, unenrolled = unenrollment',
  build(p) {
    const a = int(p.accountId);
    return {
      userId: 'e.user_id',
      from: `enrollments e
        join trainings t on t.id = e.training_id
        join training_instances i on i.id = e.instance_id
        left join (select pe.id, pt.name, pt.lo_id from enrollments pe join trainings pt on pt.id = pe.training_id
                   where pe.account_id = ${a} and pt.type = 'learning_path') lp on lp.id = e.via_enrollment_id
        left join (select ts.training_id,
                          string_agg(s.name || ' (level ' || sl.level || '): ' || ts.credits, '; ' order by s.name, sl.level) as skills
                   from training_skills ts join skill_levels sl on sl.id = ts.skill_level_id join skills s on s.id = sl.skill_id
                   where s.account_id = ${a} and not s.retired group by ts.training_id) sk on sk.training_id = t.id`,
      where: [`e.account_id = ${a}`, ...statusFilter(p.status ?? 'all', p)],
      orderBy: ['e.id'],
      rowKey: 'e.id',
      columns: [
        { name: 'Training Name', sql: 't.name' },
        { name: 'LO ID', sql: 't.lo_id' },
        {
          name: 'Type',
          sql: `case when lp.id is not null then 'Learning Path' when t.type = 'learning_path' then 'Learning Path (Higher Level)'
                     when t.type = 'certification' then 'Certification' else 'Course' end`,
        },
        { name: 'Instance', sql: 'i.name' },
        { name: 'Embedded Path', sql: `coalesce(lp.name, case when t.type = 'learning_path' then t.name end)` },
        { name: 'Embedded Path ID', sql: `coalesce(lp.lo_id, case when t.type = 'learning_path' then t.lo_id end)` },
        { name: 'Embedded Course ID', sql: 'case when lp.id is not null then t.lo_id end' },
        { name: 'Enrollment Date', sql: isoDate('e.enrolled_at') },
        { name: 'Start Date', sql: isoDate('e.started_at') },
        { name: 'Completion Date', sql: isoDate('e.completed_at') },
        { name: 'Unenrollment Date', sql: isoDate('e.unenrolled_at') },
        { name: 'Status', sql: 'e.status' },
        { name: 'Progress (%)', sql: 'e.progress::text' },
        { name: 'Score', sql: 'e.score::text' },
        { name: 'Time Spent (seconds)', sql: 'e.time_spent_seconds::text' },
        { name: 'Skills', sql: 'sk.skills' },
      ],
    };
  },
};
