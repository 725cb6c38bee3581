import { CsvErrors } from './errors.ts';

/**
 * Refuses a header that names a column twice (`Email`, …, `email`): a mapping reads one of them by name, so the
 * other — possibly the right learner — would be ignored without a word. Names compare trimmed and without case,
 * as a person reads them. Runs once per file, on the header only, never per record.
 * @example checkHeader(['Email', 'Name', 'email'], 'a.csv', 1) // throws LMC_ERR_CSV_DUPLICATE_HEADER: a.csv line 1, column 3 …
 */
export function checkHeader(header: readonly string[], file: string, line: number): void {
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    if (name === '') return; // unnamed columns are never mapped
    const key = name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      throw CsvErrors.DUPLICATE_HEADER.create({
        detail: `${file} line ${line}, column ${i + 1}: "${name}" repeats column ${first + 1} ("${header[first]}"); rename or remove one of them`,
        field: `line ${line}, column ${i + 1}`,
        data: { file, line, column: i + 1, name, firstColumn: first + 1 },
      });
    }
    seen.set(key, i);
  });
}
