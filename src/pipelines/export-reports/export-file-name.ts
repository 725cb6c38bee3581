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
