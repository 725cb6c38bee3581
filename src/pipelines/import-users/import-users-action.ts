import { LmcError } from '../../shared/errors.ts';
import { definePipelineAction } from '../pipeline-action.ts';
import { FOLDERS, type FileEntry } from '../../kit/file-sources/file-source.ts';
import { UserImportOptionsSchema, type UserImportOptions } from '../../platform/user-import/import-options.ts';
import { runUserImport } from '../../platform/user-import/run-user-import.ts';
import { csvSource } from './csv-source.ts';
import { rememberSourceColumns } from './source-columns.ts';

/** The user CSVs of a drop: import/user/internal/*.csv (not folders, not hidden or in-progress files), by name. */
export function userCsvFiles(entries: FileEntry[]): FileEntry[] {
  return entries.filter((e) => !e.isDirectory && !e.name.startsWith('.') && /\.csv$/i.test(e.name)).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * "Import Internal Users" for every file-drop connector: reads every import/user/internal/*.csv of the
 * connection's drop, merges them and imports the users in one transaction (see runUserImport). After a
 * successful (not dry) run the processed files are deleted from the drop; on failure they stay.
 */
export const importUsersAction = definePipelineAction<UserImportOptions>({
  id: 'import-users',
  displayName: 'Import Internal Users',
  kind: 'import',
  description:
    'Imports users from the CSV files in import/user/internal/ (all files merged; header row required; every file must hold every mapped column). ' +
    'Creates and updates users, links managers, fills active fields and the automatic groups; absent users are kept, suspended or deleted as configured.',
  options: UserImportOptionsSchema,
  scheduleUnits: ['days', 'hours'],
  windowed: false,
  supportsDryRun: true,
  screens: { mapping: 'user-import', filters: 'user-import', opensFirst: true },
  userImport: true,
  async run(rc) {
    const options = UserImportOptionsSchema.parse(rc.options ?? {});
    const drop = await rc.files();
    const entries = userCsvFiles(await drop.list(FOLDERS.importUsers));
    // Nothing is logged before the approval check: a run approved later executes again from the start.
    const result = await runUserImport(rc.ctx, {
      accountId: rc.accountId,
      connectionId: rc.connection.id,
      options,
      dryRun: rc.dryRun,
      approved: rc.approved,
      signal: rc.signal,
      source: csvSource(entries.map((e) => ({ name: e.name, open: () => drop.read(e.path) }))),
      reject: (r) => rc.reject(r),
      count: (k, n) => rc.count(k, n),
      progress: (d, t, p) => rc.progress(d, t, p),
      log: (l, m, d) => rc.log(l, m, d),
      changeSet: (csv) => rc.attach('change-set.csv', csv, 'text/csv'),
      requireApproval: (reason, summary) => rc.requireApproval(reason, summary),
    }).catch(async (e: unknown) => {
      // A file the import cannot read (a header naming a column twice, a broken quote, bad UTF-8) stops the whole
      // run, since the users are imported in one transaction; it is also the run's error report's row, so the
      // downloaded report names the file and line like any rejected record.
      const at = e instanceof LmcError ? e.data : undefined;
      if (typeof at?.file === 'string') await rc.reject({ source: at.file, line: typeof at.line === 'number' ? at.line : undefined, field: typeof at.column === 'number' ? `column ${at.column}` : undefined, reason: (e as Error).message });
      throw e;
    });
    if (result.sourceColumns?.length && (result.applied || rc.dryRun)) await rememberSourceColumns(rc.ctx, rc.connection.id, result.sourceColumns);
    if (result.applied) {
      for (const e of entries) await drop.remove(e.path);
      if (entries.length) rc.log('info', `deleted the ${entries.length} processed file(s) from ${FOLDERS.importUsers}`, { files: entries.map((e) => e.name) });
    }
  },
});
