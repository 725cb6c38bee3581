import { defineErrors } from '../../shared/errors.ts';

export const ReportErrors = defineErrors('REPORT', {
  UNKNOWN: { status: 404, message: 'no such report' },
  BAD_RANGE: { status: 400, message: 'the date range is invalid' },
  BAD_STATUS: { status: 400, message: 'unknown learner transcript status filter' },
  BAD_SELECTION: { status: 400, message: 'the unified report needs one or more of its component reports' },
  FAILED: { status: 500, message: 'the report could not be produced', retryable: true },
});
