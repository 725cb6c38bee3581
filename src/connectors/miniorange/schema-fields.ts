/**
 * The mapping page's miniOrange fields, from what the tenant's SCIM endpoint says about itself: GET
 * /ResourceTypes (the User resource's schema and its extensions, e.g. the enterprise extension and the
 * tenant's custom attributes) and GET /Schemas (their attributes), RFC 7644 §4 and RFC 7643 §6-§7. An endpoint
 * that does not serve them gets the core and enterprise attributes of RFC 7643 §4.1 and §4.3.
 */
import type { HttpClient } from '../../kit/http/client.ts';
import { HttpError } from '../../kit/http/http-error.ts';
import type { SourceField } from '../../kit/user-source.ts';
import { formatFieldPath, type FieldPath } from './field-paths.ts';

export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const MANAGER_ID_FIELD = `${ENTERPRISE_USER}:manager.value`;
/**
 * What the mapping's "manager" column names for miniOrange: SCIM gives a manager by id only (enterprise
 * manager.value), never by e-mail. This field is always empty and every record carries its manager's id
 * (SourceUser.managerId), which the import resolves among this run's users and those earlier runs imported.
 */
export const MANAGER_BY_ID_FIELD = 'lmc:manager-by-id';

export interface ScimAttribute {
  name: string;
  type?: string;
  multiValued?: boolean;
  description?: string;
  mutability?: string;
  returned?: string;
  canonicalValues?: string[];
  subAttributes?: ScimAttribute[];
}
interface ScimSchema {
  id: string;
  name?: string;
  attributes?: ScimAttribute[];
}

const str = (name: string, extra: Partial<ScimAttribute> = {}): ScimAttribute => ({ name, type: 'string', ...extra });
const multi = (name: string, types: string[], subs: string[]): ScimAttribute => ({ name, type: 'complex', multiValued: true, subAttributes: [...subs.map((s) => str(s)), str('type', { canonicalValues: types }), { name: 'primary', type: 'boolean' }] });

/** RFC 7643 §4.1 and §4.3, for an endpoint without /Schemas. */
const FALLBACK: ScimSchema[] = [
  {
    id: CORE_USER, name: 'User', attributes: [
      str('userName'), { name: 'name', type: 'complex', subAttributes: ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'].map((s) => str(s)) },
      str('displayName'), str('nickName'), str('title'), str('userType'), str('preferredLanguage'), str('locale'), str('timezone'), { name: 'active', type: 'boolean' },
      multi('emails', ['work', 'home', 'other'], ['value']), multi('phoneNumbers', ['work', 'home', 'mobile', 'fax', 'pager', 'other'], ['value']),
      multi('addresses', ['work', 'home', 'other'], ['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country']),
    ],
  },
  {
    id: ENTERPRISE_USER, name: 'Enterprise User', attributes: [
      str('employeeNumber'), str('costCenter'), str('organization'), str('division'), str('department'),
      { name: 'manager', type: 'complex', subAttributes: [str('value'), str('displayName')] },
    ],
  },
];

/** "phoneNumbers" -> "Phone numbers", "employeeNumber" -> "Employee number". */
export function humanize(name: string): string {
  const words = name.replace(/^\$/, '').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function typeOf(a: ScimAttribute, parent?: ScimAttribute): SourceField['type'] {
  if (parent?.name === 'emails' && a.name === 'value') return 'email';
  switch (a.type) {
    case 'boolean': return 'boolean';
    case 'integer':
    case 'decimal': return 'number';
    case 'dateTime': return 'date';
    default: return 'string';
  }
}

// Values a mapping cannot use: secrets, references and the bookkeeping sub-attributes of multi-valued ones.
const readable = (a: ScimAttribute) => a.returned !== 'never' && a.mutability !== 'writeOnly' && a.type !== 'reference' && a.type !== 'binary';
const SKIP_SUBS = new Set(['type', 'primary', 'display', '$ref']);

/** The fields of one schema's attributes, flattened (field-paths.ts). */
export function fieldsOfSchema(schema: ScimSchema, extension: boolean): SourceField[] {
  const out: SourceField[] = [];
  const prefix = extension ? `${schema.name ? humanize(schema.name) : schema.id}: ` : '';
  const add = (p: FieldPath, label: string, a: ScimAttribute, parent?: ScimAttribute) =>
    out.push({ name: formatFieldPath({ ...(extension ? { urn: schema.id } : {}), ...p }), label: prefix + label, type: typeOf(a, parent), ...(a.description ? { description: a.description } : {}) });
  for (const a of schema.attributes ?? []) {
    if (!readable(a)) continue;
    const subs = (a.subAttributes ?? []).filter(readable);
    if (a.type !== 'complex') {
      if (!a.multiValued) add({ attr: a.name }, humanize(a.name), a);
      continue;
    }
    if (!a.multiValued) {
      for (const s of subs) add({ attr: a.name, sub: s.name }, `${humanize(a.name)}: ${humanize(s.name).toLowerCase()}`, s, a);
      continue;
    }
    // Multi-valued: the primary entry (else the first) and one per canonical type; without types, nothing
    // (e.g. groups: a list is no single value to map).
    const types = a.subAttributes?.find((s) => s.name === 'type')?.canonicalValues ?? [];
    if (!types.length) continue;
    const values = subs.filter((s) => !SKIP_SUBS.has(s.name));
    const label = (which: string, s: ScimAttribute) => `${humanize(a.name)} (${which})${s.name === 'value' ? '' : `: ${humanize(s.name).toLowerCase()}`}`;
    for (const s of values) add({ attr: a.name, select: { primary: true }, sub: s.name }, label('primary', s), s, a);
    for (const t of types) for (const s of values) add({ attr: a.name, select: { type: t }, sub: s.name }, label(t, s), s, a);
  }
  return out;
}

const COMMON: SourceField[] = [
  { name: MANAGER_BY_ID_FIELD, label: "Manager (linked by the manager's miniOrange id)", description: "Map the manager column to this: each user's manager is found by the id miniOrange gives (the enterprise extension's manager)", type: 'string' },
  { name: 'id', label: 'miniOrange id', type: 'string' },
  { name: 'externalId', label: 'External id', type: 'string' },
  { name: 'meta.created', label: 'Created', type: 'date' },
  { name: 'meta.lastModified', label: 'Last modified', type: 'date' },
];

/** The User resource's schemas as the endpoint describes them; RFC 7643's when it does not. */
export async function userSchemas(http: HttpClient): Promise<{ core: ScimSchema; extensions: ScimSchema[]; described: boolean }> {
  try {
    const types = await http.get<{ Resources?: Array<{ id?: string; name?: string; endpoint?: string; schema?: string; schemaExtensions?: Array<{ schema: string }> }> }>('/ResourceTypes');
    const user = types.Resources?.find((r) => r.name === 'User' || r.endpoint === '/Users') ?? { schema: CORE_USER, schemaExtensions: [] };
    const listed = await http.get<{ Resources?: ScimSchema[] }>('/Schemas');
    const byId = new Map((listed.Resources ?? []).map((s) => [s.id, s]));
    const core = byId.get(user.schema ?? CORE_USER);
    if (!core) throw new Error('no User schema');
    const extensions = (user.schemaExtensions ?? []).map((e) => byId.get(e.schema)).filter((s): s is ScimSchema => !!s);
    return { core, extensions, described: true };
  } catch (e) {
    // Not served (404/501) or not usable: RFC 7643's attributes. Credentials and outages still fail.
    if (e instanceof HttpError && (e.httpStatus === undefined || e.httpStatus === 401 || e.httpStatus === 403 || e.httpStatus === 429 || e.httpStatus >= 500)) throw e;
    return { core: FALLBACK[0], extensions: [FALLBACK[1]], described: false };
  }
}

/** Every field the mapping page offers, custom attributes included. */
export async function userFields(http: HttpClient): Promise<SourceField[]> {
  const { core, extensions } = await userSchemas(http);
  return [...COMMON, ...fieldsOfSchema(core, false), ...extensions.flatMap((s) => fieldsOfSchema(s, true))];
}
