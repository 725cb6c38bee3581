import { humanize } from '../lib/format.ts';

/** The part of JSON Schema the generated forms read (zod's toJSONSchema output for settings and options). */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  format?: string;
  secret?: boolean;
  writeOnly?: boolean;
  minimum?: number;
  maximum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  items?: JsonSchema;
  /** Option labels of an enum by value (`.meta({ enumTitles: { basic: 'Password' } })`), instead of the raw values. */
  enumTitles?: Record<string, string>;
  /** Values read from the vendor (kit/vendor-choices.ts): the connector's list, its params from sibling fields, several or one. */
  choicesFrom?: { list: string; params?: Record<string, string>; many?: boolean };
}

/** A secret field: masked, never pre-filled; left empty on an update it keeps the stored value. */
export function isSecret(s: JsonSchema): boolean {
  return s.secret === true || s.writeOnly === true || s.format === 'password';
}

/** The alternatives of a union without `null` (zod's optional/nullable add a null branch). */
function alternatives(s: JsonSchema): JsonSchema[] {
  return (s.oneOf ?? s.anyOf ?? []).filter((a) => a.type !== 'null');
}

/** A schema with its `allOf` parts merged (zod intersections) and a single-branch union unwrapped. */
export function normalize(s: JsonSchema): JsonSchema {
  let out = s;
  if (s.allOf?.length) {
    out = { ...s, allOf: undefined, type: 'object', properties: { ...s.properties }, required: [...(s.required ?? [])] };
    for (const part of s.allOf.map(normalize)) {
      Object.assign(out.properties!, part.properties);
      out.required!.push(...(part.required ?? []));
    }
  }
  const alts = alternatives(out);
  if (alts.length === 1 && (out.oneOf ?? out.anyOf)) {
    const { oneOf: _o, anyOf: _a, ...rest } = out;
    return normalize({ ...alts[0], ...rest, type: alts[0].type ?? rest.type });
  }
  return out;
}

/** A choice among constants (`z.union([z.literal('a'), ...])` or `z.enum`): values and their labels. */
export function choicesOf(s: JsonSchema): Array<{ value: string; label: string }> | undefined {
  if (s.enum) return s.enum.map((v) => ({ value: String(v), label: s.enumTitles?.[String(v)] ?? humanize(String(v)) }));
  const alts = alternatives(s);
  if (alts.length > 1 && alts.every((a) => a.const !== undefined)) return alts.map((a) => ({ value: String(a.const), label: a.title ?? humanize(String(a.const)) }));
  return undefined;
}

/**
 * A union of objects told apart by one property holding a constant in each (zod's discriminatedUnion): the
 * property's name and the branches with their labels (the branch's title, else the constant's).
 */
export function discriminatedUnion(s: JsonSchema): { key: string; branches: Array<{ value: string; label: string; schema: JsonSchema }> } | undefined {
  const alts = alternatives(s).map(normalize);
  if (alts.length < 2 || !alts.every((a) => a.properties)) return undefined;
  const key = Object.keys(alts[0].properties!).find((k) => alts.every((a) => a.properties![k]?.const !== undefined));
  if (!key) return undefined;
  return {
    key,
    branches: alts.map((a) => {
      const c = a.properties![key];
      return { value: String(c.const), label: a.title ?? c.title ?? humanize(String(c.const)), schema: a };
    }),
  };
}

/** What kind of input a (normalized) schema gets. */
export function kindOf(s: JsonSchema): 'boolean' | 'choice' | 'number' | 'object' | 'union' | 'array' | 'text' {
  if (choicesOf(s)) return 'choice';
  if (discriminatedUnion(s)) return 'union';
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (t === 'boolean') return 'boolean';
  if (t === 'number' || t === 'integer') return 'number';
  if (t === 'object' || s.properties) return 'object';
  if (t === 'array') return 'array';
  return 'text';
}

/** The label of a field: its schema title; the property name in words only when the connector gave none. */
export function labelOf(key: string, s: JsonSchema): string {
  return s.title ?? humanize(key);
}

/**
 * Whether the settings as they stand use a field of this format (looking into the chosen branch of unions),
 * e.g. whether a connection signs in with an SSH key ("ssh-private-key").
 */
export function hasFormat(schema: JsonSchema, format: string, value: unknown): boolean {
  const s = normalize(schema);
  if (s.format === format) return true;
  const v = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const union = discriminatedUnion(s);
  if (union) {
    const b = union.branches.find((x) => x.value === String(v[union.key] ?? '')) ?? union.branches.find((x) => x.schema.properties![union.key].default !== undefined) ?? union.branches[0];
    return hasFormat(b.schema, format, v);
  }
  return Object.entries(s.properties ?? {}).some(([k, p]) => hasFormat(p, format, v[k]));
}
