import { z } from 'zod';

/** The value an admin picks for a manual active field whose learner-entered values must stay (the spec). */
export const DONT_IMPORT = 'DontImportFromSource';

/** The fixed profile attributes of a user (users.profile keys) that a mapping may fill. */
export const PROFILE_FIELDS = ['profile', 'title', 'location', 'phone'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

const column = z.string().trim().min(1).max(200);

/**
 * Platform column -> CSV column name. email, name and manager (a column of manager emails) are mandatory;
 * userType and profile attributes may be null ("not imported"); every active field of the account must be
 * mapped, to a column or to DontImportFromSource.
 */
export const UserImportMappingSchema = z.object({
  email: column.describe('CSV column with the user email (the key of a user)'),
  name: column.describe('CSV column with the full name'),
  manager: column.describe("CSV column with the manager's email"),
  userType: column.nullable().default(null).describe('CSV column with internal/external, or null'),
  profile: z.partialRecord(z.enum(PROFILE_FIELDS), column.nullable()).default({}).describe('profile attribute -> CSV column (null: not imported)'),
  fields: z.record(z.string(), column).default({}).describe(`active field name -> CSV column, or "${DONT_IMPORT}"`),
});
export type UserImportMapping = z.infer<typeof UserImportMappingSchema>;

/** A mapping as an admin sends it: a key that is no platform column is refused, not dropped in silence. */
export const UserImportMappingInputSchema = UserImportMappingSchema.strict();

export const UserImportFiltersSchema = z.object({
  managers: z.array(z.string().trim().email()).default([]).describe('only users under these managers (transitively, the managers included)'),
  values: z
    .array(z.object({ column, values: z.array(z.string()).min(1) }))
    .default([])
    .describe('only rows whose column equals one of the values (all conditions must hold)'),
});
export type UserImportFilters = z.infer<typeof UserImportFiltersSchema>;

/** The saved settings of the "Import Internal Users" action. */
export const UserImportOptionsSchema = z.object({
  mapping: UserImportMappingSchema.nullable().default(null),
  /** Column names of the template CSV the admin uploaded (what the mapping page offers). */
  templateColumns: z.array(z.string()).default([]),
  /** Column names of the files of the last run that read them (remembered by the run; the mapping page offers them too). */
  sourceColumns: z.array(z.string()).default([]),
  /** csv active fields mapped to DontImportFromSource that the admin confirmed to delete from the platform. */
  confirmDeleteFields: z.array(z.string()).default([]),
  filters: UserImportFiltersSchema.default({ managers: [], values: [] }),
  absentUsers: z.enum(['keep', 'suspend', 'delete']).default('keep').describe("users this connection owns that are absent from the files"),
  approvalThreshold: z
    .number()
    .min(0)
    .max(1)
    .default(0.1)
    .describe("a run suspending or deleting more than this share of the connection's users waits for approval"),
});
export type UserImportOptions = z.infer<typeof UserImportOptionsSchema>;
export type UserImportOptionsInput = z.input<typeof UserImportOptionsSchema>;

export interface ActiveFieldInfo {
  id: number;
  name: string;
  kind: 'csv' | 'manual';
  groupable: boolean;
}

/** What the import reads and writes, derived from a valid mapping. */
export interface ImportPlanShape {
  /** platform target -> CSV column */
  email: string;
  name: string;
  manager: string;
  userType: string | null;
  profile: Array<{ key: ProfileField; column: string }>;
  fields: Array<{ name: string; column: string }>;
  /** csv active fields to delete (DontImportFromSource, confirmed). */
  deleteFields: ActiveFieldInfo[];
  /** active fields the mapping does not name (added after it was saved): not imported, their values kept. */
  unmapped: string[];
  /** every CSV column a file must contain (mapped columns and filter columns), distinct. */
  requiredColumns: string[];
}

/**
 * Checks a mapping against the account's active fields and returns what the import reads, or the list
 * of problems (each names the platform column).
 * Saving a mapping needs every active field (`mode: 'save'`); a run (`mode: 'run'`) treats a field the
 * mapping does not name as not imported (like DontImportFromSource, but never deleting a csv field): adding
 * an active field must not stop every import until each mapping is updated.
 * @example validateMapping(opts, await listActiveFields(db, accountId))
 */
export function validateMapping(opts: UserImportOptions, activeFields: ActiveFieldInfo[], mode: 'save' | 'run' = 'save'): { shape?: ImportPlanShape; problems: string[] } {
  const m = opts.mapping;
  if (!m) return { problems: ['no mapping saved yet'] };
  const problems: string[] = [];
  const byName = new Map(activeFields.map((f) => [f.name.toLowerCase(), f]));
  for (const key of Object.keys(m.profile)) if (!(PROFILE_FIELDS as readonly string[]).includes(key)) problems.push(`profile.${key}: not a profile attribute (${PROFILE_FIELDS.join(', ')})`);
  for (const name of Object.keys(m.fields)) if (!byName.has(name.toLowerCase())) problems.push(`fields.${name}: no such active field`);
  const fields: ImportPlanShape['fields'] = [];
  const deleteFields: ActiveFieldInfo[] = [];
  const unmapped: string[] = [];
  const confirmed = new Set(opts.confirmDeleteFields.map((n) => n.toLowerCase()));
  for (const f of activeFields) {
    const key = Object.keys(m.fields).find((k) => k.toLowerCase() === f.name.toLowerCase());
    const col = key === undefined ? undefined : m.fields[key];
    if (col === undefined && mode === 'run') unmapped.push(f.name);
    else if (col === undefined) {
      problems.push(`fields.${f.name}: every active field must be mapped${f.kind === 'manual' ? ` (or set to ${DONT_IMPORT})` : ''}`);
    } else if (col === DONT_IMPORT) {
      if (f.kind === 'csv') {
        if (confirmed.has(f.name.toLowerCase())) deleteFields.push(f);
        else problems.push(`fields.${f.name}: ${DONT_IMPORT} on a csv active field deletes the field from the platform; confirm it with confirmDeleteFields: ["${f.name}"]`);
      }
    } else fields.push({ name: f.name, column: col });
  }
  if (problems.length) return { problems };
  const profile = PROFILE_FIELDS.flatMap((key) => (m.profile[key] ? [{ key, column: m.profile[key]! }] : []));
  const cols = [m.email, m.name, m.manager, ...(m.userType ? [m.userType] : []), ...profile.map((p) => p.column), ...fields.map((f) => f.column), ...opts.filters.values.map((v) => v.column)];
  const requiredColumns = [...new Map(cols.map((c) => [c.toLowerCase(), c])).values()];
  return { shape: { email: m.email, name: m.name, manager: m.manager, userType: m.userType, profile, fields, deleteFields, unmapped, requiredColumns }, problems };
}

/** One platform column of the mapping page. */
export interface PlatformColumn {
  /** mapping key: "email", "name", "manager", "userType", "profile.<key>", "fields.<name>" */
  key: string;
  label: string;
  required: boolean;
  /** for active fields: csv or manual */
  fieldKind?: 'csv' | 'manual';
  /** DontImportFromSource may be chosen (active fields; on a csv field it deletes the field) */
  dontImportAllowed: boolean;
  note?: string;
}

/** The left side of the mapping page: every platform column an import can fill. */
export function platformColumns(activeFields: ActiveFieldInfo[]): PlatformColumn[] {
  return [
    { key: 'email', label: 'Email', required: true, dontImportAllowed: false, note: 'the key of a user' },
    { key: 'name', label: 'Name', required: true, dontImportAllowed: false },
    { key: 'manager', label: 'Manager', required: true, dontImportAllowed: false, note: "a column holding the manager's email address" },
    { key: 'userType', label: 'User type', required: false, dontImportAllowed: false, note: 'internal or external; null: not imported' },
    ...PROFILE_FIELDS.map((k) => ({ key: `profile.${k}`, label: `Profile: ${k}`, required: false, dontImportAllowed: false, note: 'null: not imported' })),
    ...activeFields.map((f) => ({
      key: `fields.${f.name}`,
      label: `Active field: ${f.name}`,
      required: true,
      fieldKind: f.kind,
      dontImportAllowed: true,
      note: f.kind === 'csv' ? `${DONT_IMPORT} deletes this field from the platform (needs confirmation)` : `${DONT_IMPORT} keeps the values learners entered`,
    })),
  ];
}
