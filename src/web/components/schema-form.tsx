import type { ComponentType } from 'react';
import { choicesOf, discriminatedUnion, isSecret, kindOf, labelOf, normalize, type JsonSchema } from './json-schema.ts';
import { VendorChoiceField, type ChoiceLoader } from './vendor-choice-field.tsx';

export { isSecret, type JsonSchema } from './json-schema.ts';

/** What a field widget gets: where it sits, its schema, and how to set its value. */
export interface WidgetProps {
  id: string;
  path: string[];
  schema: JsonSchema;
  setValue(v: unknown): void;
}

interface Ctx {
  secretsSet: Record<string, boolean>;
  idPrefix: string;
  /** Extra controls beside a field, by the field's JSON-schema `format` (e.g. a key-pair generator for "ssh-private-key"). */
  widgets: Record<string, ComponentType<WidgetProps>>;
  /** Reads the vendor's values for fields with `choicesFrom` (a saved connection's form); absent: plain inputs. */
  choices?: ChoiceLoader;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A form generated from a JSON schema (zod's toJSONSchema of a connector's settings or an action's options):
 * nested objects as fieldsets, lists with Add and Remove, discriminated unions as a choice that shows the chosen
 * branch's fields, constants as selects with labels, secrets as password inputs that say "saved" and are never
 * filled from the server (`secretsSet` says which ones hold a value, by dotted path such as "auth.clientSecret").
 * Labels come from the schema's titles; descriptions are the fields' help text (aria-describedby).
 */
export function SchemaForm(props: {
  schema: JsonSchema;
  value: Obj;
  onChange(v: Obj): void;
  secretsSet?: Record<string, boolean>;
  idPrefix?: string;
  widgets?: Record<string, ComponentType<WidgetProps>>;
  choices?: ChoiceLoader;
}) {
  const ctx: Ctx = { secretsSet: props.secretsSet ?? {}, idPrefix: props.idPrefix ?? 'f', widgets: props.widgets ?? {}, choices: props.choices };
  return <ObjectFields ctx={ctx} schema={normalize(props.schema)} value={props.value} onChange={props.onChange} path={[]} />;
}

/** The fields of an object (or of the chosen branch of a union of objects). */
function ObjectFields({ ctx, schema, value, onChange, path }: { ctx: Ctx; schema: JsonSchema; value: Obj; onChange(v: Obj): void; path: string[] }) {
  const union = discriminatedUnion(schema);
  if (union) return <UnionFields ctx={ctx} schema={schema} union={union} value={value} onChange={onChange} path={path} />;
  const required = new Set(schema.required ?? []);
  const set = (k: string, v: unknown) => {
    const next = { ...value };
    if (v === undefined || v === '') delete next[k];
    else next[k] = v;
    onChange(next);
  };
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([key, s]) => (
        <Field key={key} ctx={ctx} name={key} schema={normalize(s)} required={required.has(key)} value={value[key]} siblings={value} onChange={(v) => set(key, v)} path={[...path, key]} />
      ))}
    </>
  );
}

/**
 * A discriminated union: the branch's fields in their order, with the discriminator as a select of the
 * branches' labels; fields both branches share keep their values when the choice changes.
 */
function UnionFields({ ctx, schema, union, value, onChange, path }: { ctx: Ctx; schema: JsonSchema; union: NonNullable<ReturnType<typeof discriminatedUnion>>; value: Obj; onChange(v: Obj): void; path: string[] }) {
  const current = union.branches.find((b) => b.value === String(value[union.key] ?? '')) ?? union.branches.find((b) => b.schema.properties![union.key].default !== undefined) ?? union.branches[0];
  const id = idOf(ctx, [...path, union.key]);
  const label = schema.title ?? labelOf(union.key, {});
  const choice = (
    <div className="field" key={`${union.key}:choice`}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={current.value} onChange={(e) => onChange({ ...value, [union.key]: e.target.value })} aria-describedby={schema.description ? `${id}-d` : undefined}>
        {union.branches.map((b) => <option key={b.value} value={b.value}>{b.label}</option>)}
      </select>
      {schema.description ? <small id={`${id}-d`} className="muted">{schema.description}</small> : null}
    </div>
  );
  const withValue = value[union.key] === undefined ? { ...value, [union.key]: current.value } : value;
  const required = new Set(current.schema.required ?? []);
  return (
    <>
      {Object.entries(current.schema.properties ?? {}).map(([key, s]) =>
        key === union.key ? choice : (
          <Field key={`${current.value}:${key}`} ctx={ctx} name={key} schema={normalize(s)} required={required.has(key)} value={withValue[key]} siblings={withValue} path={[...path, key]}
            onChange={(v) => {
              const next = { ...withValue };
              if (v === undefined || v === '') delete next[key];
              else next[key] = v;
              onChange(next);
            }} />
        ),
      )}
    </>
  );
}

const idOf = (ctx: Ctx, path: string[]) => `${ctx.idPrefix}-${path.join('-')}`;

function Help({ id, text }: { id: string; text?: string }) {
  return text ? <small id={`${id}-d`} className="muted">{text}</small> : null;
}

/** One property: its input by kind, its label, its help text. */
function Field({ ctx, name, schema: s, required, value, siblings, onChange, path }: { ctx: Ctx; name: string; schema: JsonSchema; required: boolean; value: unknown; siblings?: Obj; onChange(v: unknown): void; path: string[] }) {
  const id = idOf(ctx, path);
  const label = labelOf(name, s);
  if (s.choicesFrom && ctx.choices) return <VendorChoiceField id={id} label={label} schema={s} required={required && s.default === undefined} value={value} siblings={siblings ?? {}} load={ctx.choices} onChange={onChange} />;
  const describedBy = s.description ? `${id}-d` : undefined;
  const kind = kindOf(s);
  const Widget = s.format ? ctx.widgets[s.format] : undefined;
  const widget = Widget ? <Widget id={`${id}-w`} path={path} schema={s} setValue={onChange} /> : null;
  if (kind === 'object' || kind === 'union') {
    return (
      <fieldset>
        <legend>{label}</legend>
        <Help id={id} text={s.description} />
        <ObjectFields ctx={ctx} schema={s} value={isObj(value) ? value : {}} onChange={onChange} path={path} />
      </fieldset>
    );
  }
  if (kind === 'array') return <ListField ctx={ctx} label={label} schema={s} value={Array.isArray(value) ? value : []} onChange={onChange} path={path} />;
  if (kind === 'boolean') {
    return (
      <div className="field">
        <label className="check">
          <input id={id} type="checkbox" checked={Boolean(value ?? s.default)} onChange={(e) => onChange(e.target.checked)} aria-describedby={describedBy} />
          {label}
        </label>
        <Help id={id} text={s.description} />
      </div>
    );
  }
  const req = required && s.default === undefined;
  if (kind === 'choice') {
    return (
      <div className="field">
        <label htmlFor={id}>{label}{req ? <span className="req" aria-hidden> *</span> : null}</label>
        <select id={id} value={String(value ?? s.default ?? '')} required={req} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} aria-describedby={describedBy}>
          {!req && s.default === undefined ? <option value="">—</option> : null}
          {choicesOf(s)!.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
        <Help id={id} text={s.description} />
      </div>
    );
  }
  const secret = isSecret(s);
  const saved = secret && ctx.secretsSet[path.join('.')];
  const numeric = kind === 'number';
  const multiline = s.format === 'ssh-private-key' || s.format === 'textarea';
  const common = {
    id,
    required: req && !saved,
    'aria-describedby': [describedBy, saved ? `${id}-saved` : undefined].filter(Boolean).join(' ') || undefined,
    value: value === undefined || value === null ? '' : String(value),
  };
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {common.required ? <span className="req" aria-hidden> *</span> : null}
      </label>
      {multiline ? (
        // A pasted key keeps its line breaks (an input would drop them); a secret one is masked.
        <textarea {...common} rows={4} spellCheck={false} autoComplete="off" className={secret ? 'masked' : undefined} placeholder={saved ? '••••••••' : undefined} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          type={secret ? 'password' : numeric ? 'number' : s.format === 'email' ? 'email' : s.format === 'uri' ? 'url' : 'text'}
          autoComplete={secret ? 'new-password' : 'off'}
          placeholder={saved ? '••••••••' : s.default !== undefined ? String(s.default) : undefined}
          min={s.minimum !== undefined && Math.abs(s.minimum) < 1e15 ? s.minimum : undefined}
          max={s.maximum !== undefined && Math.abs(s.maximum) < 1e15 ? s.maximum : undefined}
          onChange={(e) => onChange(numeric ? (e.target.value === '' ? undefined : Number(e.target.value)) : e.target.value)}
        />
      )}
      {saved ? <small id={`${id}-saved`} className="saved">Saved. Leave empty to keep it, or type a new one to replace it.</small> : null}
      <Help id={id} text={s.description} />
      {widget}
    </div>
  );
}

/** A list: one input (or fieldset) per item, with Remove, and Add. */
function ListField({ ctx, label, schema, value, onChange, path }: { ctx: Ctx; label: string; schema: JsonSchema; value: unknown[]; onChange(v: unknown): void; path: string[] }) {
  const item = normalize(schema.items ?? { type: 'string' });
  const itemKind = kindOf(item);
  const setAt = (i: number, v: unknown) => onChange(value.map((x, j) => (j === i ? v : x)));
  const remove = (i: number) => onChange(value.filter((_, j) => j !== i));
  const itemLabel = item.title ?? label;
  return (
    <fieldset>
      <legend>{label}</legend>
      <Help id={idOf(ctx, path)} text={schema.description} />
      {value.length === 0 ? <p className="muted">None yet.</p> : null}
      {value.map((v, i) => (
        <div key={i} className="list-item">
          {itemKind === 'object' || itemKind === 'union' ? (
            <fieldset>
              <legend>{itemLabel} {i + 1}</legend>
              <ObjectFields ctx={ctx} schema={item} value={isObj(v) ? v : {}} onChange={(x) => setAt(i, x)} path={[...path, String(i)]} />
            </fieldset>
          ) : (
            <Field ctx={ctx} name={`${itemLabel} ${i + 1}`} schema={{ ...item, title: `${itemLabel} ${i + 1}` }} required value={v} onChange={(x) => setAt(i, x)} path={[...path, String(i)]} />
          )}
          <button type="button" onClick={() => remove(i)} aria-label={`Remove ${itemLabel} ${i + 1}`}>Remove</button>
        </div>
      ))}
      <div>
        <button type="button" onClick={() => onChange([...value, itemKind === 'object' || itemKind === 'union' ? {} : itemKind === 'boolean' ? false : ''])}>Add {itemLabel.toLowerCase()}</button>
      </div>
    </fieldset>
  );
}
