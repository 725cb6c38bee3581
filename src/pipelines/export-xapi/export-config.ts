import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import type { XapiExportColumnRow } from '../../db/schema/xapi-export.ts';
import { XapiExportErrors } from './errors.ts';
import { parseJsonPath } from './json-path.ts';

export const XAPI_COLUMN_TYPES = ['string', 'number', 'boolean', 'date'] as const;
export type XapiColumnType = (typeof XAPI_COLUMN_TYPES)[number];
export type XapiExportColumn = XapiExportColumnRow;

/** One column: a JSON path into the stored statement, its CSV header, its type (docs/xapi-export.md). */
export const XapiExportColumnSchema = z.object({
  path: z.string().trim().min(1).max(1000).describe('JSON path into the stored statement, e.g. actor.mbox, verb.display.en-US, context.extensions["http://example.com/x"]'),
  column: z.string().trim().min(1).max(200).describe('the CSV header of the column'),
  type: z.enum(XAPI_COLUMN_TYPES).default('string').describe('string | number | boolean | date (ISO 8601 UTC); a value of another type is written as N/A'),
});

export const XapiExportConfigInputSchema = z.object({
  name: z.string().trim().min(1).max(200),
  columns: z.array(XapiExportColumnSchema).min(1).max(200),
});
export type XapiExportConfigInput = z.input<typeof XapiExportConfigInputSchema>;

export interface XapiExportConfig {
  id: number;
  name: string;
  columns: XapiExportColumn[];
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Checks the columns: every path parses, headers are unique (case-insensitively: spreadsheet tools and
 * Power BI treat "Score" and "score" as one column). Throws LMC_ERR_XAPI_EXPORT_BAD_PATH / _BAD_CONFIG with the field.
 */
export function validateColumns(input: unknown): XapiExportColumn[] {
  const parsed = z.array(XapiExportColumnSchema).min(1).max(200).safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw XapiExportErrors.BAD_CONFIG.create({ detail: issue.message, field: ['columns', ...issue.path].join('.') });
  }
  const seen = new Map<string, number>();
  parsed.data.forEach((c, i) => {
    parseJsonPath(c.path, `columns.${i}.path`);
    const k = c.column.toLowerCase();
    if (seen.has(k)) throw XapiExportErrors.BAD_CONFIG.create({ detail: `column "${c.column}" appears twice (columns ${seen.get(k)! + 1} and ${i + 1})`, field: `columns.${i}.column` });
    seen.set(k, i);
  });
  return parsed.data;
}

function parseInput(input: unknown): { name: string; columns: XapiExportColumn[] } {
  const r = XapiExportConfigInputSchema.pick({ name: true }).safeParse(input);
  if (!r.success) throw XapiExportErrors.BAD_CONFIG.create({ detail: r.error.issues[0].message, field: r.error.issues[0].path.join('.') || 'name' });
  return { name: r.data.name, columns: validateColumns((input as { columns?: unknown }).columns) };
}

type Row = { id: number; name: string; columns: XapiExportColumn[]; created_at: Date; updated_at: Date };
const view = (r: Row): XapiExportConfig => ({ id: r.id, name: r.name, columns: r.columns, createdAt: r.created_at, updatedAt: r.updated_at });

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === '23505';

/**
 * Creates an export configuration of the account.
 * @example await createXapiExportConfig(db, 1, { name: 'Scores', columns: [{ path: 'actor.mbox', column: 'learner', type: 'string' }] })
 */
export async function createXapiExportConfig(db: Database, accountId: number, input: unknown): Promise<XapiExportConfig> {
  const c = parseInput(input);
  try {
    const row = await db
      .insertInto('xapi_export_configs')
      .values({ account_id: accountId, name: c.name, columns: JSON.stringify(c.columns) })
      .returning(['id', 'name', 'columns', 'created_at', 'updated_at'])
      .executeTakeFirstOrThrow();
    return view(row);
  } catch (e) {
    if (isUniqueViolation(e)) throw XapiExportErrors.NAME_TAKEN.create({ detail: c.name, field: 'name' });
    throw e;
  }
}

/** The account's export configurations, by name. */
export async function listXapiExportConfigs(db: Database, accountId: number): Promise<XapiExportConfig[]> {
  const rows = await db
    .selectFrom('xapi_export_configs')
    .select(['id', 'name', 'columns', 'created_at', 'updated_at'])
    .where('account_id', '=', accountId)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map(view);
}

/** One configuration of the account; LMC_ERR_XAPI_EXPORT_NOT_FOUND (naming `field`) for another account's or a deleted one. */
export async function getXapiExportConfig(db: Database, accountId: number, id: number, field = 'id'): Promise<XapiExportConfig> {
  const row = await db
    .selectFrom('xapi_export_configs')
    .select(['id', 'name', 'columns', 'created_at', 'updated_at'])
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw XapiExportErrors.NOT_FOUND.create({ detail: `id ${id}`, field });
  return view(row);
}

/** Replaces a configuration's name and columns. */
export async function updateXapiExportConfig(db: Database, accountId: number, id: number, input: unknown): Promise<XapiExportConfig> {
  const c = parseInput(input);
  try {
    const row = await db
      .updateTable('xapi_export_configs')
      .set({ name: c.name, columns: JSON.stringify(c.columns), updated_at: new Date() })
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .returning(['id', 'name', 'columns', 'created_at', 'updated_at'])
      .executeTakeFirst();
    if (!row) throw XapiExportErrors.NOT_FOUND.create({ detail: `id ${id}`, field: 'id' });
    return view(row);
  } catch (e) {
    if (isUniqueViolation(e)) throw XapiExportErrors.NAME_TAKEN.create({ detail: c.name, field: 'name' });
    throw e;
  }
}

/**
 * Deletes a configuration. Export actions whose options still name it fail with LMC_ERR_XAPI_EXPORT_NOT_FOUND
 * until they are given another one (the run says which), rather than exporting something else silently.
 */
export async function deleteXapiExportConfig(db: Database, accountId: number, id: number): Promise<void> {
  const r = await db.deleteFrom('xapi_export_configs').where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) throw XapiExportErrors.NOT_FOUND.create({ detail: `id ${id}`, field: 'id' });
}
