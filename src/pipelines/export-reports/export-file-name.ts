/**
 * Date format of export file names: ISO 8601 basic format in UTC, to the second (e.g. 20261126T060000Z).
 * Sortable, no ':' (refused by Windows and some SFTP clients), and two windows of an hourly schedule never
 * share a name. An export without a start date says "beginning".
 */
export function fileDate(d: Date | null | undefined): string {
  if (!d) return 'beginning';
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** `<base>_<from>_to_<to>.csv`, e.g. skill_achievements_20261125T060000Z_to_20261126T060000Z.csv (spec's names). */
export function exportFileName(base: 'skill_achievements' | 'learner_transcript', from: Date | null | undefined, to: Date): string {
  return `${base}_${fileDate(from)}_to_${fileDate(to)}.csv`;
}

/**
 * A name no file in the folder has yet, so an export never replaces an earlier one: two on-demand runs inside one
 * second get the same window name, and a re-run repeats its window. The spec's name is kept when free; otherwise
 * the run id is added before the extension (`…_to_…_run42.csv`), then a counter. `taken` holds the folder's
 * names; comparison ignores case because Box and Windows shares do.
 * @example uniqueExportName(new Set(['a.csv']), 'a.csv', { zip: false, runId: 42 }) // 'a_run42.csv'
 */
export function uniqueExportName(taken: ReadonlySet<string>, fileName: string, o: { zip: boolean; runId?: number }): string {
  const names = new Set([...taken].map((n) => n.toLowerCase()));
  const free = (n: string) => !names.has((o.zip ? `${n}.zip` : n).toLowerCase());
  if (free(fileName)) return fileName;
  const dot = fileName.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [fileName.slice(0, dot), fileName.slice(dot)] : [fileName, ''];
  const tag = o.runId !== undefined ? `_run${o.runId}` : '';
  if (tag && free(`${stem}${tag}${ext}`)) return `${stem}${tag}${ext}`;
  for (let i = 2; ; i++) if (free(`${stem}${tag}_${i}${ext}`)) return `${stem}${tag}_${i}${ext}`;
}
