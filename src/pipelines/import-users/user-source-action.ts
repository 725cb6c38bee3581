import type { ActionDefinition } from '../../kit/define-connector.ts';
import { definePipelineAction } from '../pipeline-action.ts';
import type { UserSourceCapability } from '../../kit/user-source.ts';
import { UserImportOptionsSchema, type UserImportOptions } from '../../platform/user-import/import-options.ts';
import { runUserImport } from '../../platform/user-import/run-user-import.ts';
import { withDistinctKeys } from './distinct-keys.ts';
import { recordSource } from './record-source.ts';

/**
 * "Import Internal Users" for a connector whose vendor holds users (the `users` capability): the records the
 * connector reads go through the same import as the CSV drops (mapping, filters, dry run with change set,
 * deletion threshold and approval, one-transaction apply, automatic groups, error report by record id).
 * Attached by the registry; connectors never list it.
 */
export function userSourceImportAction(source: UserSourceCapability): ActionDefinition<unknown, UserImportOptions> {
  return definePipelineAction<UserImportOptions, unknown>({
    id: 'import-users',
    displayName: 'Import Internal Users',
    kind: 'import',
    description:
      `Imports users from ${source.label}${source.description ? ` (${source.description})` : ''}. ` +
      'Creates and updates users, links managers, fills active fields and the automatic groups; users removed at the source, or absent from a full read, are kept, suspended or deleted as configured.',
    options: UserImportOptionsSchema,
    scheduleUnits: source.scheduleUnits ?? ['days', 'hours'],
    windowed: false,
    supportsDryRun: true,
    screens: { mapping: 'user-import', filters: 'user-import', opensFirst: true },
    userImport: true,
    ...(source.state ? { state: source.state } : {}),
    async run(rc) {
      const options = UserImportOptionsSchema.parse(rc.options ?? {});
      // Keys unique across the connector's connections (distinctAcrossConnections): checked as the records stream in.
      const read: typeof source.read = async (r, want) =>
        options.mapping && source.distinctAcrossConnections?.length
          ? withDistinctKeys(rc.ctx.db, await source.read(r, want), {
              accountId: rc.accountId,
              connectionId: rc.connection.id,
              connectorId: rc.connection.connectorId,
              label: source.label,
              keys: source.distinctAcrossConnections,
              emailField: options.mapping.email,
              nameField: options.mapping.name,
              reject: (x) => rc.reject(x),
              countRead: () => rc.count('read', 1),
            })
          : source.read(r, want);
      await runUserImport(rc.ctx, {
        accountId: rc.accountId,
        connectionId: rc.connection.id,
        options,
        dryRun: rc.dryRun,
        approved: rc.approved,
        signal: rc.signal,
        // The record id as HR UUID is written by the import, in its transaction (platform/user-import/source-ids.ts).
        source: recordSource(source.label, (want) => read(rc as never, want), { recordIdIsUuid: source.recordIdIsUuid }),
        reject: (r) => rc.reject(r),
        count: (k, n) => rc.count(k, n),
        progress: (d, t, p) => rc.progress(d, t, p),
        log: (l, m, d) => rc.log(l, m, d),
        changeSet: (csv) => rc.attach('change-set.csv', csv, 'text/csv'),
        requireApproval: (reason, summary) => rc.requireApproval(reason, summary),
      });
    },
  }) as ActionDefinition<unknown, UserImportOptions>;
}
