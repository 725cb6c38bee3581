import type { ComponentReportId, ReportDefinition, ReportId, ReportInfo } from './report-definition.ts';
import { ReportErrors } from './errors.ts';
import { feedbackReport } from './reports/feedback.ts';
import { gamificationReport } from './reports/gamification.ts';
import { learnerTranscript } from './reports/learner-transcript.ts';
import { trainingsReport } from './reports/trainings.ts';
import { userSkills } from './reports/user-skills.ts';
import { usersReport } from './reports/users.ts';

/** The reports a unified report can combine, in their default order. */
export const COMPONENT_REPORTS: ReportDefinition[] = [usersReport, learnerTranscript, userSkills, trainingsReport, feedbackReport, gamificationReport];

export const UNIFIED_REPORT: ReportInfo = {
  id: 'unified',
  title: 'Unified',
  schemaVersion: 1,
  description: 'User data joined with the chosen reports (default: all) into one dataset for BI.',
  rangeOn: 'each chosen report applies the range to its own date',
};

/** Every report, for listings. */
export const ALL_REPORTS: ReportInfo[] = [...COMPONENT_REPORTS, UNIFIED_REPORT];

/** The report with this id; LMC_ERR_REPORT_UNKNOWN otherwise. */
export function reportInfo(id: string): ReportInfo {
  const r = ALL_REPORTS.find((x) => x.id === id);
  if (!r) throw ReportErrors.UNKNOWN.create({ detail: `${id} (one of ${ALL_REPORTS.map((x) => x.id).join(', ')})`, field: 'report' });
  return r;
}

export function componentReport(id: ComponentReportId | ReportId): ReportDefinition {
  const r = COMPONENT_REPORTS.find((x) => x.id === id);
  if (!r) throw ReportErrors.BAD_SELECTION.create({ detail: `${id} cannot be part of a unified report`, field: 'include' });
  return r;
}
