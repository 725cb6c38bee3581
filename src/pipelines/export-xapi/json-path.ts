import { formatXapiPath, parseXapiPath, type PathStep } from '../xapi-paths/json-path.ts';
import { XapiExportErrors } from './errors.ts';

export type { PathStep };

/**
 * Parses an export column's path (the syntax shared with Import xAPI: src/pipelines/xapi-paths/json-path.ts);
 * throws LMC_ERR_XAPI_EXPORT_BAD_PATH naming the position of the problem.
 * @example parseJsonPath('context.extensions["http://x/y"]') // [{key:'context'},{key:'extensions'},{key:'http://x/y'}]
 */
export function parseJsonPath(path: string, field = 'path'): PathStep[] {
  return parseXapiPath(path, (detail) => XapiExportErrors.BAD_PATH.create({ detail, field }));
}

/** The path as PostgreSQL's jsonb path operators (#>, #>>) take it: text elements, array indexes as integers in text. */
export function pgPathElements(steps: PathStep[]): string[] {
  return steps.map((s) => ('key' in s ? s.key : String(s.index)));
}

/** The canonical text of a path (names bare when they are plain words, other keys double-quoted). */
export const formatJsonPath = formatXapiPath;
