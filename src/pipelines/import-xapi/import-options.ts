import { z } from 'zod';
import { LmcError } from '../../shared/errors.ts';
import { parseImportPath } from './json-path.ts';
import { parseDate, parseNumber, XAPI_IMPORT_TYPES } from './values.ts';

/** The paths every configuration maps (the spec: pre-filled, cannot be removed). */
export const REQUIRED_PATHS = ['actor.mbox', 'verb.id', 'object.id'] as const;

export const FILTER_OPS = ['equals', 'not_equals', 'contains', 'gt', 'lt', 'is_empty', 'is_not_empty'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export const ConditionSchema = z.object({
  column: z.string().trim().min(1).max(200).describe('the CSV column the condition reads'),
  op: z.enum(FILTER_OPS).describe('equals | not_equals | contains (case-sensitive text) | gt | lt (numbers or dates) | is_empty | is_not_empty'),
  value: z.string().max(1000).default('').describe('compared with the cell; unused by is_empty / is_not_empty; a number or a date for gt / lt'),
});
export type Condition = z.infer<typeof ConditionSchema>;

export const FilterSchema = z.object({
  name: z.string().trim().min(1).max(200),
  match: z.enum(['all', 'any']).default('all').describe('all: every condition must hold (AND); any: one is enough (OR)'),
  conditions: z.array(ConditionSchema).min(1).max(50),
});
export type Filter = z.infer<typeof FilterSchema>;

export const MappingSchema = z.object({
  path: z.string().trim().min(1).max(1000).describe('JSON path in the statement, e.g. actor.mbox, result.score.scaled, context.extensions.http://example.com/ext/x'),
  column: z.string().trim().max(200).default('').describe('the CSV column; empty = not mapped yet (a run refuses the configuration until it is)'),
  type: z.enum(XAPI_IMPORT_TYPES).default('string'),
});
export type Mapping = z.infer<typeof MappingSchema>;

// The three required paths are added when missing (a new configuration starts with them). After the admin's own
// mappings, not before: an error about mapping i then names the admin's i-th mapping, not one shifted by three.
const withRequired = (v: unknown) => {
  if (!Array.isArray(v)) return v;
  const paths = new Set(v.map((m) => (m && typeof m === 'object' ? String((m as { path?: unknown }).path ?? '').trim() : '')));
  return [...v, ...REQUIRED_PATHS.filter((p) => !paths.has(p)).map((path) => ({ path, column: '', type: 'string' }))];
};

/** Statement properties the import or the LRS sets itself: a mapping to them would be ignored, so it is refused. */
const NOT_MAPPABLE: Record<string, string> = {
  id: 'the statement id is made by the import from the configuration and the row (so a re-import creates no duplicates)',
  stored: 'the LRS sets stored when it stores the statement',
  authority: 'the LRS sets authority (an Agent naming the connection)',
};

export const ConfigurationFields = {
  name: z.string().trim().min(1).max(200),
  sourceFileName: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .refine((s) => !/[\\/]/.test(s), 'a file name, not a path (files are read from import/xapi/)')
    .describe('a file name in import/xapi/, exact (case-sensitive) or a glob: * any characters, ? one character, e.g. activity_*.csv'),
  dateFormat: z.string().trim().max(100).optional().describe('luxon format of dates that are not ISO 8601, e.g. MM/dd/yyyy HH:mm'),
  timeZone: z.string().trim().max(100).optional().describe('IANA zone of dates without an offset (default UTC)'),
  filters: z.array(FilterSchema).max(50).default([]),
  mappings: z.preprocess(withRequired, z.array(MappingSchema).max(200)),
};

function checkConfiguration(c: { mappings: Mapping[]; filters: Filter[]; timeZone?: string; dateFormat?: string }, ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  c.mappings.forEach((m, i) => {
    try {
      const [first] = parseImportPath(m.path, `mappings.${i}.path`);
      const why = 'key' in first ? NOT_MAPPABLE[first.key] : undefined;
      if (why) ctx.addIssue({ code: 'custom', path: ['mappings', i, 'path'], message: `mapping ${i + 1}: ${m.path} cannot be mapped: ${why}` });
    } catch (e) {
      ctx.addIssue({ code: 'custom', path: ['mappings', i, 'path'], message: e instanceof LmcError ? e.message : String(e) });
    }
    if (seen.has(m.path)) ctx.addIssue({ code: 'custom', path: ['mappings', i, 'path'], message: `${m.path} is mapped twice (mappings ${seen.get(m.path)! + 1} and ${i + 1})` });
    seen.set(m.path, i);
  });
  const settings = { dateFormat: c.dateFormat, timeZone: c.timeZone };
  if (c.timeZone && parseDate('2026-01-01T00:00:00', settings) === undefined) ctx.addIssue({ code: 'custom', path: ['timeZone'], message: `unknown time zone ${c.timeZone}` });
  c.filters.forEach((f, i) =>
    f.conditions.forEach((k, j) => {
      if ((k.op === 'gt' || k.op === 'lt') && parseNumber(k.value) === undefined && parseDate(k.value, settings) === undefined) {
        ctx.addIssue({ code: 'custom', path: ['filters', i, 'conditions', j, 'value'], message: `${k.op} compares numbers or dates: "${k.value}" is neither` });
      }
    }),
  );
}

/** A configuration as the admin gives it (no id yet). */
export const ConfigurationInputSchema = z.object(ConfigurationFields).superRefine(checkConfiguration);
export type ConfigurationInput = z.input<typeof ConfigurationInputSchema>;

/** One saved configuration: source file → filters → mappings. */
export const ConfigurationSchema = z.object({ id: z.string().uuid().describe('assigned on create; part of every statement id'), ...ConfigurationFields }).superRefine(checkConfiguration);
export type Configuration = z.infer<typeof ConfigurationSchema>;

/** The saved options of the "Import xAPI" action of a connection: its configurations. */
export const XapiImportOptionsSchema = z
  .object({ configurations: z.array(ConfigurationSchema).max(100).default([]) })
  .superRefine((o, ctx) => {
    const names = new Map<string, number>();
    o.configurations.forEach((c, i) => {
      const k = c.name.toLowerCase();
      if (names.has(k)) ctx.addIssue({ code: 'custom', path: ['configurations', i, 'name'], message: `configuration name "${c.name}" is used twice` });
      names.set(k, i);
    });
  });
export type XapiImportOptions = z.infer<typeof XapiImportOptionsSchema>;

/** What keeps a configuration from running: required or other mappings without a column. */
export function configurationProblems(c: Configuration): string[] {
  return c.mappings.filter((m) => !m.column).map((m) => `${m.path} is not mapped to a column`);
}
