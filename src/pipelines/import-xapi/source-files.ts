import type { FileEntry } from '../../kit/file-sources/file-source.ts';

/** True when `sourceFileName` is a glob (holds * or ?). */
export const isGlob = (sourceFileName: string) => /[*?]/.test(sourceFileName);

/**
 * Whether a file of import/xapi/ belongs to a configuration: the exact name, or a glob where * is any run
 * of characters and ? one character (case-sensitive, as SFTP servers are).
 * @example matchesSource('activity_*.csv', 'activity_2026-03.csv') // true
 */
export function matchesSource(sourceFileName: string, fileName: string): boolean {
  if (!isGlob(sourceFileName)) return sourceFileName === fileName;
  const re = new RegExp('^' + sourceFileName.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 's');
  return re.test(fileName);
}

/** The files of a configuration among a listing (no folders, hidden or in-progress files), by name. */
export function filesOf(sourceFileName: string, entries: FileEntry[]): FileEntry[] {
  return entries
    .filter((e) => !e.isDirectory && !e.name.startsWith('.') && matchesSource(sourceFileName, e.name))
    .sort((a, b) => a.name.localeCompare(b.name));
}
