import { defineErrors } from '../../shared/errors.ts';

/** Errors of the "Import Internal Users" pipeline that fail a run before anything changes. */
export const UserImportErrors = defineErrors('USER_IMPORT', {
  MAPPING_REQUIRED: { status: 409, message: 'the attribute mapping must be saved before the first import (map every platform column to a CSV column)' },
  MAPPING_INVALID: { status: 400, message: 'the attribute mapping is incomplete or invalid' },
  MISSING_COLUMNS: { status: 422, message: 'a CSV file lacks mapped columns (every file must contain every mapped column); nothing was imported' },
  TEMPLATE_TOO_LARGE: { status: 413, message: 'the template is too large (its header row is what counts: at most 1 MB, 1,000 columns of 200 characters)' },
  CANCELLED: { status: 409, message: 'the import was cancelled; nothing was changed' },
});
