/**
 * Source field names of SCIM users, flattened from RFC 7643 attributes, and reading their values:
 *   userName, displayName, active             a singular attribute
 *   name.givenName                            a sub-attribute of a complex attribute
 *   emails[primary].value                     the primary value of a multi-valued attribute (else its first)
 *   emails[type eq "work"].value              the value of that type (the RFC 7644 §3.10 value-path notation
 *                                             miniOrange's attribute mapping also uses)
 *   urn:...:enterprise:2.0:User:department    an extension attribute, by its fully qualified name (§3.10)
 *   urn:...:enterprise:2.0:User:manager.value
 *   id, externalId, meta.lastModified         the common attributes (RFC 7643 §3.1)
 */
export interface FieldPath {
  urn?: string;
  attr: string;
  select?: { primary: true } | { type: string };
  sub?: string;
}

const PATH = /^(?:(urn:.+):)?([A-Za-z$][\w$-]*)(?:\[(?:(primary)|type eq "([^"]*)")\])?(?:\.([A-Za-z$][\w$-]*))?$/;

/** The parts of a field name, or undefined for a name that is no SCIM attribute path. */
export function parseFieldPath(name: string): FieldPath | undefined {
  const m = PATH.exec(name);
  if (!m) return undefined;
  const [, urn, attr, primary, type, sub] = m;
  return { ...(urn ? { urn } : {}), attr, ...(primary ? { select: { primary: true as const } } : type !== undefined ? { select: { type } } : {}), ...(sub ? { sub } : {}) };
}

export function formatFieldPath(p: FieldPath): string {
  const sel = p.select ? ('primary' in p.select ? '[primary]' : `[type eq "${p.select.type}"]`) : '';
  return `${p.urn ? `${p.urn}:` : ''}${p.attr}${sel}${p.sub ? `.${p.sub}` : ''}`;
}

/** Attribute names are case-insensitive (RFC 7643 §2.1): the key of `o` that matches `name`. */
function get(o: unknown, name: string): unknown {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return undefined;
  const rec = o as Record<string, unknown>;
  if (name in rec) return rec[name];
  const k = Object.keys(rec).find((x) => x.toLowerCase() === name.toLowerCase());
  return k === undefined ? undefined : rec[k];
}

type Scalar = string | number | boolean | null;

function scalar(v: unknown): Scalar | undefined {
  if (v === undefined) return undefined;
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return undefined; // an object or list where a value was expected: not a value of this field
}

/** The value of a field in a SCIM resource (undefined when the user has none). */
export function readField(resource: Record<string, unknown>, p: FieldPath): Scalar | undefined {
  const holder = p.urn ? get(resource, p.urn) : resource;
  const v = get(holder, p.attr);
  if (Array.isArray(v)) {
    const entries = v.filter((x) => x && typeof x === 'object') as Array<Record<string, unknown>>;
    let pick: Record<string, unknown> | undefined;
    if (!p.select || 'primary' in p.select) pick = entries.find((x) => get(x, 'primary') === true) ?? entries[0];
    else {
      const want = p.select.type.toLowerCase();
      pick = entries.find((x) => String(get(x, 'type') ?? '').toLowerCase() === want);
    }
    return pick === undefined ? undefined : scalar(get(pick, p.sub ?? 'value'));
  }
  return p.sub ? scalar(get(v, p.sub)) : scalar(v);
}

/** The top-level attribute a field needs in `attributes=` (RFC 7644 §3.4.2.5). */
export function requestedAttribute(p: FieldPath): string {
  return p.urn ? `${p.urn}:${p.attr}` : p.attr;
}
