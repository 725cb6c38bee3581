import { defineErrors } from '../../shared/errors.ts';

/** Errors of CSV reading (shared by every pipeline that reads CSV files). */
export const CsvErrors = defineErrors('CSV', {
  INVALID_UTF8: { status: 422, message: 'the file is not valid UTF-8 (save it as UTF-8, with or without BOM)' },
  UNTERMINATED_QUOTE: { status: 422, message: 'a quoted field is never closed' },
  NO_HEADER: { status: 422, message: 'the file has no header row' },
  DUPLICATE_HEADER: { status: 422, message: 'the header names a column twice' },
  RECORD_TOO_LARGE: { status: 413, message: 'a record (row) of the file is longer than allowed' },
  MALFORMED: { status: 422, message: 'the file is not valid CSV' },
});
