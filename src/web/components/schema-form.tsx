import { humanize } from '../lib/format.ts';

/** The part of JSON Schema the settings forms use (zod's toJSONSchema output for a connector's settings). */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  format?: string;
  secret?: boolean;
  writeOnly?: boolean;
  minimum?: number;
  maximum?: number;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
}

/** A secret field: masked, never pre-filled; left empty on an update it keeps the stored value. */
export function isSecret(s: JsonSchema): boolean {
  return s.secret === true || s.writeOnly === true || s.format === 'password';
}

function baseType(s: JsonSchema): string {
  if (s.enum) return 'enum';
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (t) return t;
  const alt = s.anyOf?.find((a) => a.type !== 'null');
  return alt ? baseType(alt) : 'string';
}

/**
 * A form generated from a JSON schema object: text, number, checkbox and select inputs, labelled from the
 * property title or name, described by the description; secret fields are password inputs that are never
 * filled from the server (`secretsSet` says which ones hold a value, by dotted path: `auth.token`). An object
 * with properties is a fieldset of its own fields.
 */
export function SchemaForm(props: {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange(v: Record<string, unknown>): void;
  secretsSet?: Record<string, boolean>;
  idPrefix?: string;
}) {
  const props_ = props.schema.properties ?? {};
  const required = new Set(props.schema.required ?? []);
  const set = (k: string, v: unknown) => {
    const next = { ...props.value };
    if (v === undefined || v === '') delete next[k];
    else next[k] = v;
    props.onChange(next);
  };
  return (
    <>
      {Object.entries(props_).map(([key, s]) => {
        const label = s.title ?? humanize(key);
        const t = baseType(s);
        const id = `${props.idPrefix ?? 'f'}-${key}`;
        const desc = s.description ? <small id={`${id}-d`} className="muted">{s.description}</small> : null;
        const v = props.value[key];
        const req = required.has(key) && s.default === undefined;
        if (t === 'boolean') {
          return (
            <div key={key}>
              <label className="check">
                <input type="checkbox" checked={Boolean(v ?? s.default)} onChange={(e) => set(key, e.target.checked)} aria-describedby={desc ? `${id}-d` : undefined} />
                {label}
              </label>
              {desc}
            </div>
          );
        }
        if (t === 'enum') {
          return (
            <label key={key}>
              {label}
              {req ? <span className="req" aria-hidden> *</span> : null}
              <select value={String(v ?? s.default ?? '')} required={req} onChange={(e) => set(key, e.target.value)} aria-describedby={desc ? `${id}-d` : undefined}>
                {!req ? <option value="">—</option> : null}
                {s.enum!.map((o) => (
                  <option key={String(o)} value={String(o)}>{String(o)}</option>
                ))}
              </select>
              {desc}
            </label>
          );
        }
        if (t === 'object' && s.properties) {
          // A group of settings (an API connector's credentials under `auth`): its own fields, secrets masked.
          const prefix = `${key}.`;
          const nestedSecrets = Object.fromEntries(Object.entries(props.secretsSet ?? {}).filter(([k]) => k.startsWith(prefix)).map(([k, b]) => [k.slice(prefix.length), b]));
          return (
            <fieldset key={key} className="stack" aria-describedby={desc ? `${id}-d` : undefined}>
              <legend>{label}</legend>
              {desc}
              <SchemaForm
                schema={s}
                value={(v && typeof v === 'object' ? v : {}) as Record<string, unknown>}
                onChange={(x) => set(key, Object.keys(x).length ? x : undefined)}
                secretsSet={nestedSecrets}
                idPrefix={id}
              />
            </fieldset>
          );
        }
        if (t === 'object' || t === 'array') {
          return (
            <label key={key}>
              {label} (JSON)
              <textarea rows={3} defaultValue={v === undefined ? '' : JSON.stringify(v, null, 2)} onBlur={(e) => { try { set(key, e.target.value ? JSON.parse(e.target.value) : undefined); } catch { /* keeps the old value; the server names the field */ } }} />
              {desc}
            </label>
          );
        }
        const secret = isSecret(s);
        const numeric = t === 'number' || t === 'integer';
        return (
          <label key={key}>
            <span>
              {label}
              {req && !(secret && props.secretsSet?.[key]) ? <span className="req" aria-hidden> *</span> : null}
            </span>
            <input
              type={secret ? 'password' : numeric ? 'number' : s.format === 'email' ? 'email' : s.format === 'uri' ? 'url' : 'text'}
              autoComplete={secret ? 'new-password' : 'off'}
              required={req && !(secret && props.secretsSet?.[key])}
              placeholder={secret && props.secretsSet?.[key] ? '•••••••• (stored; type to replace)' : s.default !== undefined ? String(s.default) : undefined}
              value={v === undefined ? '' : String(v)}
              min={s.minimum}
              max={s.maximum}
              onChange={(e) => set(key, numeric ? (e.target.value === '' ? undefined : Number(e.target.value)) : e.target.value)}
              aria-describedby={desc ? `${id}-d` : undefined}
            />
            {desc}
          </label>
        );
      })}
    </>
  );
}
