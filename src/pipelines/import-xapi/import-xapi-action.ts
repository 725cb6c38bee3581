import { setRunNote } from '../../engine/run-note.ts';
import { definePipelineAction } from '../pipeline-action.ts';
import { FOLDERS } from '../../kit/file-sources/file-source.ts';
import type { LrsPrincipal } from '../../lrs/credentials.ts';
import { XapiImportErrors } from './errors.ts';
import { importFile } from './import-file.ts';
import { StatementIdSet } from './id-set.ts';
import { configurationProblems, XapiImportOptionsSchema, type XapiImportOptions } from './import-options.ts';
import { compileConfiguration } from './row-to-statement.ts';
import { filesOf } from './source-files.ts';

/**
 * The LRS authority of imported statements: an Agent naming the connection (the LRS sets `authority` from
 * the key that writes; an import writes with its connection).
 */
export function importPrincipal(accountId: number, connection: { id: number; name: string }): LrsPrincipal {
  return { accountId, credentialId: 0, key: `import-xapi/connection-${connection.id}`, name: `Import xAPI: ${connection.name}`, scopes: ['write'] };
}

/**
 * "Import xAPI" for every file-drop connector: for each configuration, every file of import/xapi/ matching
 * its source file name is read; each row that passes the filters becomes a statement (mappings), validated
 * and stored as the LRS stores a POSTed one, with an id derived from the configuration and the row, so a
 * re-import creates no duplicates. Bad rows go to the error report. Files processed to the end are deleted
 * after the run; a file that failed as a whole (missing columns, malformed CSV) is kept.
 */
export const importXapiAction = definePipelineAction<XapiImportOptions>({
  id: 'import-xapi',
  displayName: 'Import xAPI',
  kind: 'import',
  description:
    'Imports xAPI statements from CSV files in import/xapi/: per configuration, the files matching its source file name, ' +
    'rows filtered, mapped to statement JSON paths (actor.mbox, verb.id, object.id and more) and stored in the LRS; re-imports create no duplicates.',
  options: XapiImportOptionsSchema as never,
  scheduleUnits: ['days', 'hours'],
  windowed: false,
  supportsDryRun: true,
  screens: { mapping: 'xapi-import', filters: 'xapi-import' },
  async run(rc) {
    const options = XapiImportOptionsSchema.parse(rc.options ?? {});
    if (options.configurations.length === 0) throw XapiImportErrors.NO_CONFIGURATION.create();
    const drop = await rc.files();
    const entries = await drop.list(FOLDERS.importXapi);
    const principal = importPrincipal(rc.accountId, rc.connection);
    // A file is deleted only when every configuration that matched it processed it to the end.
    const fileOk = new Map<string, boolean>();
    let rows = 0;
    // Configurations that found no file: said in the run's note and notification, not only as "read 0".
    const unmatched: string[] = [];
    const dryRunCreated = rc.dryRun ? new StatementIdSet() : undefined;
    for (const config of options.configurations) {
      const problems = configurationProblems(config);
      const files = filesOf(config.sourceFileName, entries);
      if (problems.length) {
        if (files.length) {
          for (const f of files) fileOk.set(f.path, false);
          await rc.reject({ source: config.name, reason: `configuration "${config.name}" is not ready: ${problems.join('; ')} (its ${files.length} file(s) were not read)` });
        }
        continue;
      }
      if (files.length === 0) {
        unmatched.push(`no file in ${FOLDERS.importXapi}/ matched "${config.sourceFileName}" (configuration "${config.name}")`);
        rc.log('warn', `configuration "${config.name}": no file in ${FOLDERS.importXapi}/ matches ${config.sourceFileName}`);
        continue;
      }
      const compiled = compileConfiguration(config);
      for (const f of files) {
        rc.log('info', `configuration "${config.name}": importing ${f.name}`, { file: f.name, configuration: config.id });
        const out = await importFile(
          {
            ctx: rc.ctx,
            accountId: rc.accountId,
            principal,
            dryRun: rc.dryRun,
            dryRunCreated,
            signal: rc.signal,
            reject: (r) => rc.reject(r),
            count: (k, n) => rc.count(k, n),
            progress: (done) => rc.progress(done, undefined, `importing ${f.name}`),
          },
          compiled,
          { name: f.name, open: () => drop.read(f.path) },
          rows,
        );
        rows += out.read;
        fileOk.set(f.path, (fileOk.get(f.path) ?? true) && out.ok);
        if (!out.ok) rc.log('error', `${f.name} failed (see the error report); it is kept in ${FOLDERS.importXapi}/`, { file: f.name });
      }
    }
    rc.progress(rows, rows, 'done');
    if (unmatched.length) await setRunNote(rc.ctx, rc.runId, unmatched.join('; '));
    if (rc.dryRun) return;
    const done = [...fileOk].filter(([, ok]) => ok).map(([p]) => p);
    for (const p of done) await drop.remove(p);
    if (done.length) rc.log('info', `deleted the ${done.length} processed file(s) from ${FOLDERS.importXapi}/`, { files: done });
  },
});
