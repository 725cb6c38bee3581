import crypto from 'node:crypto';
import type { AppContext } from '../../app-context.ts';
import { getActionOptions, putActionOptions } from '../../engine/action-settings.ts';
import { withConnectionFiles } from '../../engine/connections.ts';
import { readCsv } from '../../kit/csv/read-csv.ts';
import { FOLDERS } from '../../kit/file-sources/file-source.ts';
import { XapiImportErrors } from './errors.ts';
import { applyFilters } from './filters.ts';
import {
  configurationProblems,
  ConfigurationInputSchema,
  REQUIRED_PATHS,
  XapiImportOptionsSchema,
  type Configuration,
  type XapiImportOptions,
} from './import-options.ts';
import { compileConfiguration, rowToStatement } from './row-to-statement.ts';
import { filesOf } from './source-files.ts';

const ACTION = 'import-xapi';

async function load(ctx: AppContext, accountId: number, connectionId: number): Promise<XapiImportOptions> {
  return XapiImportOptionsSchema.parse(await getActionOptions(ctx, accountId, connectionId, ACTION));
}

async function save(ctx: AppContext, accountId: number, connectionId: number, o: XapiImportOptions): Promise<XapiImportOptions> {
  return XapiImportOptionsSchema.parse(await putActionOptions(ctx, accountId, connectionId, ACTION, o));
}

/** A configuration with what keeps it from running (empty when ready). */
export type ConfigurationView = Configuration & { ready: boolean; problems: string[] };
const view = (c: Configuration): ConfigurationView => {
  const problems = configurationProblems(c);
  return { ...c, ready: problems.length === 0, problems };
};

function parseInput(input: unknown): Omit<Configuration, 'id'> {
  const r = ConfigurationInputSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue.path.map(String).join('.') || 'configuration';
    throw XapiImportErrors.BAD_CONFIG.create({ detail: `${field}: ${issue.message}`, field });
  }
  return r.data;
}

function checkName(o: XapiImportOptions, name: string, exceptId?: string): void {
  if (o.configurations.some((c) => c.id !== exceptId && c.name.toLowerCase() === name.toLowerCase())) throw XapiImportErrors.NAME_TAKEN.create({ detail: name, field: 'name' });
}

function find(o: XapiImportOptions, id: string): Configuration {
  const c = o.configurations.find((x) => x.id === id);
  if (!c) throw XapiImportErrors.NOT_FOUND.create({ detail: id, field: 'configurationId' });
  return c;
}

/** The configurations of a connection's Import xAPI action. */
export async function listXapiImportConfigs(ctx: AppContext, accountId: number, connectionId: number): Promise<ConfigurationView[]> {
  return (await load(ctx, accountId, connectionId)).configurations.map(view);
}

/** One configuration; LMC_ERR_XAPI_IMPORT_NOT_FOUND when the connection has none of that id. */
export async function getXapiImportConfig(ctx: AppContext, accountId: number, connectionId: number, id: string): Promise<ConfigurationView> {
  return view(find(await load(ctx, accountId, connectionId), id));
}

/**
 * Adds a configuration (a new id). Only name and source file name are needed: actor.mbox, verb.id and
 * object.id are added to the mappings, to be given columns before the configuration can run.
 * @example await createXapiImportConfig(ctx, 1, 3, { name: 'LMS activity', sourceFileName: 'activity_*.csv' })
 */
export async function createXapiImportConfig(ctx: AppContext, accountId: number, connectionId: number, input: unknown): Promise<ConfigurationView> {
  const o = await load(ctx, accountId, connectionId);
  const c: Configuration = { id: crypto.randomUUID(), ...parseInput({ mappings: [], ...(input as object) }) };
  checkName(o, c.name);
  await save(ctx, accountId, connectionId, { ...o, configurations: [...o.configurations, c] });
  return view(c);
}

/**
 * Replaces a configuration's fields (those given; the rest kept). Its id stays, so rows imported before
 * keep their statement ids.
 */
export async function updateXapiImportConfig(ctx: AppContext, accountId: number, connectionId: number, id: string, input: unknown): Promise<ConfigurationView> {
  const o = await load(ctx, accountId, connectionId);
  const { id: _id, ...current } = find(o, id);
  const c: Configuration = { id, ...parseInput({ ...current, ...(input as object) }) };
  checkName(o, c.name, id);
  await save(ctx, accountId, connectionId, { ...o, configurations: o.configurations.map((x) => (x.id === id ? c : x)) });
  return view(c);
}

/** Removes a configuration (statements it imported stay in the LRS). */
export async function deleteXapiImportConfig(ctx: AppContext, accountId: number, connectionId: number, id: string): Promise<void> {
  const o = await load(ctx, accountId, connectionId);
  find(o, id);
  await save(ctx, accountId, connectionId, { ...o, configurations: o.configurations.filter((x) => x.id !== id) });
}

/**
 * The CSV files in import/xapi/ of the drop with their columns (header rows), for the mapping screen;
 * only those matching `sourceFileName` (exact or glob) when given.
 */
export async function discoverXapiColumns(ctx: AppContext, accountId: number, connectionId: number, sourceFileName?: string) {
  return withConnectionFiles(ctx, accountId, connectionId, async (drop) => {
    const entries = await drop.list(FOLDERS.importXapi);
    const files = [];
    for (const e of filesOf(sourceFileName || '*', entries)) {
      const input = await drop.read(e.path);
      try {
        files.push({ name: e.name, columns: (await readCsv(input, e.name)).header });
      } catch (err) {
        files.push({ name: e.name, columns: [] as string[], error: (err as Error).message });
      } finally {
        input.destroy();
      }
    }
    return { files, columns: [...new Set(files.flatMap((f) => f.columns))] };
  });
}

export interface PreviewRow {
  file: string;
  line: number;
  outcome: 'statement' | 'skipped' | 'rejected';
  statement?: Record<string, unknown>;
  field?: string;
  reason?: string;
}

/**
 * Dry run of a configuration (saved, or unsaved to check it before saving) on the first `limit` rows of
 * the first matching file (or `fileName`): each row as the statement it becomes, skipped by a filter, or
 * rejected with column and reason. Nothing is stored.
 */
export async function previewXapiImport(
  ctx: AppContext,
  accountId: number,
  connectionId: number,
  req: { configurationId?: string; configuration?: unknown; fileName?: string; limit?: number },
): Promise<{ file: string | null; columns: string[]; missingColumns: string[]; rows: PreviewRow[] }> {
  const o = await load(ctx, accountId, connectionId);
  let config: Configuration;
  if (req.configuration !== undefined) config = { id: req.configurationId ?? '00000000-0000-4000-8000-000000000000', ...parseInput({ mappings: [], ...(req.configuration as object) }) };
  else if (req.configurationId) config = find(o, req.configurationId);
  else throw XapiImportErrors.BAD_CONFIG.create({ detail: 'give configurationId or configuration', field: 'configurationId' });
  const compiled = compileConfiguration(config);
  const limit = req.limit ?? 10;
  return withConnectionFiles(ctx, accountId, connectionId, async (drop) => {
    const entries = await drop.list(FOLDERS.importXapi);
    const f = filesOf(req.fileName ?? config.sourceFileName, entries)[0];
    if (!f) {
      if (req.fileName) throw XapiImportErrors.FILE_NOT_FOUND.create({ detail: req.fileName, field: 'fileName' });
      return { file: null, columns: [], missingColumns: [], rows: [] };
    }
    const input = await drop.read(f.path);
    try {
      const csv = await readCsv(input, f.name);
      const missingColumns = compiled.columns.filter((c) => !csv.header.includes(c));
      const rows: PreviewRow[] = [];
      if (missingColumns.length === 0) {
        for await (const r of csv.records) {
          if (rows.length >= limit) break;
          const base = { file: f.name, line: r.line };
          const fo = applyFilters(config.filters, r.values, compiled.dates);
          if ('reject' in fo) rows.push({ ...base, outcome: 'rejected', field: fo.column, reason: fo.reason });
          else if (!fo.pass) rows.push({ ...base, outcome: 'skipped', reason: `filter "${fo.filter}"` });
          else {
            const s = rowToStatement(compiled, r.values);
            rows.push(s.ok ? { ...base, outcome: 'statement', statement: s.statement } : { ...base, outcome: 'rejected', field: s.column, reason: s.reason });
          }
        }
      }
      return { file: f.name, columns: csv.header, missingColumns, rows };
    } finally {
      input.destroy();
    }
  });
}

export { REQUIRED_PATHS };
