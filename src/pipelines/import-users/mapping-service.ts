import type { Readable } from 'node:stream';
import type { AppContext } from '../../app-context.ts';
import { getActionOptions, putActionOptions } from '../../engine/action-settings.ts';
import { connectorEnv, openConnection, withConnectionFiles } from '../../engine/connections.ts';
import type { SourceField } from '../../kit/user-source.ts';
import { CsvErrors } from '../../kit/csv/errors.ts';
import { readCsv } from '../../kit/csv/read-csv.ts';
import { FOLDERS } from '../../kit/file-sources/file-source.ts';
import { listActiveFields } from '../../platform/fields/active-fields.ts';
import { UserImportErrors } from '../../platform/user-import/errors.ts';
import {
  platformColumns,
  UserImportFiltersSchema,
  UserImportMappingInputSchema,
  UserImportOptionsSchema,
  validateMapping,
  type UserImportOptions,
} from '../../platform/user-import/import-options.ts';
import { CommonErrors } from '../../shared/errors.ts';
import { userCsvFiles } from './import-users-action.ts';

const ACTION = 'import-users';

async function load(ctx: AppContext, accountId: number, connectionId: number): Promise<UserImportOptions> {
  return UserImportOptionsSchema.parse(await getActionOptions(ctx, accountId, connectionId, ACTION));
}

async function save(ctx: AppContext, accountId: number, connectionId: number, options: UserImportOptions): Promise<UserImportOptions> {
  return UserImportOptionsSchema.parse(await putActionOptions(ctx, accountId, connectionId, ACTION, options));
}

/**
 * The data of the "Map Attributes" page: platform columns on one side, CSV columns (from the uploaded
 * template) on the other, the saved mapping, filters and options, and what is still missing.
 * @example await getMappingPage(ctx, accountId, 3)
 */
export async function getMappingPage(ctx: AppContext, accountId: number, connectionId: number) {
  const options = await load(ctx, accountId, connectionId);
  const fields = await listActiveFields(ctx.db, accountId);
  const { problems } = validateMapping(options, fields);
  // The template's columns, then those of the last import's files that the template lacks.
  const known = new Set(options.templateColumns.map((c) => c.toLowerCase()));
  const source = await sourceFields(ctx, accountId, connectionId);
  const csvColumns = source.fields
    ? source.fields.map((f) => f.name)
    : [...options.templateColumns, ...options.sourceColumns.filter((c) => !known.has(c.toLowerCase()))];
  return { platformColumns: platformColumns(fields), csvColumns, sourceFields: source.fields, ...(source.error ? { sourceFieldsError: source.error } : {}), options, ready: problems.length === 0, problems };
}

/**
 * The vendor's user fields, for a connector with the `users` capability (null for file drops, whose columns
 * come from a template or the files). A vendor that cannot be reached does not take the page down: the
 * saved mapping still shows, with the reason the fields are missing.
 */
async function sourceFields(ctx: AppContext, accountId: number, connectionId: number): Promise<{ fields: SourceField[] | null; error?: string }> {
  const { connector, settings } = await openConnection(ctx, accountId, connectionId);
  if (!connector.users) return { fields: null };
  try {
    const env = connectorEnv(ctx, accountId, connectionId, connector.http ? { connector, settings: settings as Record<string, unknown> } : undefined);
    return { fields: await connector.users.fields(settings, env) };
  } catch (e) {
    ctx.log.warn({ err: e, connectionId }, 'the source fields could not be read');
    return { fields: [], error: (e as Error).message };
  }
}

/** What a template may hold: its header row is all that is kept (the mapping page offers its columns). */
export const TEMPLATE_LIMITS = { bytes: 1024 * 1024, headerChars: 64 * 1024, columns: 1000, columnChars: 200 } as const;

/**
 * Reads the header row of a template CSV the admin uploads and keeps its columns for the mapping page.
 * Bounded (TEMPLATE_LIMITS): a one-line file of 50 MB once became a 52 MB settings row.
 */
export async function uploadTemplate(ctx: AppContext, accountId: number, connectionId: number, csv: Readable, fileName = 'template.csv') {
  const tooLarge = (detail: string) => UserImportErrors.TEMPLATE_TOO_LARGE.create({ detail, field: 'csv' });
  let header: string[];
  try {
    ({ header } = await readCsv(csv, fileName, { maxRecordChars: TEMPLATE_LIMITS.headerChars, headerOnly: true }));
  } catch (e) {
    if (CsvErrors.RECORD_TOO_LARGE.is(e)) throw tooLarge(`the header row is longer than ${TEMPLATE_LIMITS.headerChars} characters`);
    throw e;
  } finally {
    csv.destroy();
  }
  const columns = header.filter((h) => h !== '');
  if (columns.length === 0) throw CommonErrors.VALIDATION.create({ detail: 'the template has no column names in its first row', field: 'csv' });
  if (columns.length > TEMPLATE_LIMITS.columns) throw tooLarge(`${columns.length} columns (at most ${TEMPLATE_LIMITS.columns})`);
  const long = columns.find((c) => c.length > TEMPLATE_LIMITS.columnChars);
  if (long) throw tooLarge(`a column name has ${long.length} characters (at most ${TEMPLATE_LIMITS.columnChars}): "${long.slice(0, 40)}..."`);
  const options = await load(ctx, accountId, connectionId);
  await save(ctx, accountId, connectionId, { ...options, templateColumns: columns });
  return { columns };
}

/** The columns of the CSV files present in the drop's import/user/internal/ (each file's header row). */
export async function discoverColumns(ctx: AppContext, accountId: number, connectionId: number) {
  return withConnectionFiles(ctx, accountId, connectionId, async (drop) => {
    const files = [];
    for (const e of userCsvFiles(await drop.list(FOLDERS.importUsers))) {
      const input = await drop.read(e.path);
      try {
        files.push({ name: e.name, columns: (await readCsv(input, e.name, { maxRecordChars: TEMPLATE_LIMITS.headerChars, headerOnly: true })).header });
      } finally {
        input.destroy();
      }
    }
    const columns = [...new Set(files.flatMap((f) => f.columns))];
    return { files, columns };
  });
}

/**
 * Saves the mapping after checking it covers every platform column and active field (the spec: mapping
 * every column is mandatory before the connector is used). Refuses an incomplete one, listing what is missing.
 */
export async function saveMapping(ctx: AppContext, accountId: number, connectionId: number, input: { mapping: unknown; confirmDeleteFields?: string[] }) {
  const parsed = UserImportMappingInputSchema.safeParse(input.mapping);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw UserImportErrors.MAPPING_INVALID.create({ detail: `${['mapping', ...issue.path.map(String)].join('.')}: ${issue.message}`, field: ['mapping', ...issue.path.map(String)].join('.') });
  }
  const options = { ...(await load(ctx, accountId, connectionId)), mapping: parsed.data, confirmDeleteFields: input.confirmDeleteFields ?? [] };
  const { problems } = validateMapping(options, await listActiveFields(ctx.db, accountId));
  if (problems.length) throw UserImportErrors.MAPPING_INVALID.create({ detail: problems.join('; '), data: { problems } });
  return save(ctx, accountId, connectionId, options);
}

/** Saves the filters (hierarchy under managers, column equals one of values). */
export async function saveFilters(ctx: AppContext, accountId: number, connectionId: number, filters: unknown) {
  const parsed = UserImportFiltersSchema.safeParse(filters);
  if (!parsed.success) throw CommonErrors.VALIDATION.create({ detail: parsed.error.issues[0].message, field: ['filters', ...parsed.error.issues[0].path.map(String)].join('.') });
  return save(ctx, accountId, connectionId, { ...(await load(ctx, accountId, connectionId)), filters: parsed.data });
}

/** Saves what happens to absent users and the approval threshold. */
export async function saveImportSettings(ctx: AppContext, accountId: number, connectionId: number, s: { absentUsers?: UserImportOptions['absentUsers']; approvalThreshold?: number }) {
  const current = await load(ctx, accountId, connectionId);
  return save(ctx, accountId, connectionId, { ...current, ...(s.absentUsers ? { absentUsers: s.absentUsers } : {}), ...(s.approvalThreshold !== undefined ? { approvalThreshold: s.approvalThreshold } : {}) });
}
