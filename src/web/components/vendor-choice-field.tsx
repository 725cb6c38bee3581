import { useEffect, useState } from 'react';
import type { JsonSchema } from './json-schema.ts';

export interface VendorChoice {
  value: string;
  label?: string;
  count?: number;
}
/** Reads a connector's list of values (GET /api/v1/connections/{id}/choices/{list}). */
export type ChoiceLoader = (list: string, params: Record<string, string>, signal: AbortSignal) => Promise<{ choices: VendorChoice[]; truncated: boolean }>;

const shown = (c: VendorChoice) => `${c.label ?? c.value}${c.count !== undefined ? ` (${c.count.toLocaleString()})` : ''}`;

/**
 * A settings field whose values the connector reads from the vendor (its schema's `choicesFrom`): a select of
 * them, or checkboxes for a list field. The list's params come from sibling fields; until those are filled,
 * the field says what to choose first. When the vendor cannot be reached, the admin may still type the value.
 */
export function VendorChoiceField(props: { id: string; label: string; schema: JsonSchema; required: boolean; value: unknown; siblings: Record<string, unknown>; load: ChoiceLoader; onChange(v: unknown): void }) {
  const { id, label, schema: s, load } = props;
  const from = s.choicesFrom!;
  const params: Record<string, string> = {};
  const missing: string[] = [];
  for (const [param, sibling] of Object.entries(from.params ?? {})) {
    const v = props.siblings[sibling];
    if (v === undefined || v === null || v === '') missing.push(sibling);
    else params[param] = String(v);
  }
  const key = JSON.stringify([from.list, params]);
  const [state, setState] = useState<{ key: string; choices?: VendorChoice[]; truncated?: boolean; error?: string }>({ key: '' });
  useEffect(() => {
    if (missing.length) return;
    const ac = new AbortController();
    setState({ key });
    load(from.list, params, ac.signal).then(
      (r) => setState({ key, choices: r.choices, truncated: r.truncated }),
      (e: Error) => { if (e?.name !== 'AbortError') setState({ key, error: e?.message ?? String(e) }); },
    );
    return () => ac.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, missing.length]);
  const describedBy = s.description ? `${id}-d` : undefined;
  const help = s.description ? <small id={`${id}-d`} className="muted">{s.description}</small> : null;
  const loaded = state.key === key ? state : { key };
  const status = missing.length ? (
    <p className="muted" id={`${id}-s`}>Choose the {missing.join(', ')} first.</p>
  ) : loaded.error ? (
    <p className="error-box" role="alert" id={`${id}-s`}>The values could not be read from the vendor: {loaded.error}. You can type them instead.</p>
  ) : !loaded.choices ? (
    <p className="muted" role="status" id={`${id}-s`}>Reading the values…</p>
  ) : loaded.truncated ? (
    <p className="muted" id={`${id}-s`}>Only the most frequent values are listed.</p>
  ) : null;

  if (from.many) {
    const picked = Array.isArray(props.value) ? (props.value as string[]) : [];
    const toggle = (v: string, on: boolean) => props.onChange(on ? [...picked, v] : picked.filter((x) => x !== v));
    // Values saved earlier stay listed even when the org holds them no more.
    const listed = [...(loaded.choices ?? []), ...picked.filter((p) => !loaded.choices?.some((c) => c.value === p)).map((value) => ({ value }))];
    return (
      <fieldset id={id} aria-describedby={[describedBy, status ? `${id}-s` : undefined].filter(Boolean).join(' ') || undefined}>
        <legend>{label}{props.required ? <span className="req" aria-hidden> *</span> : null}</legend>
        {help}
        {status}
        {loaded.error ? (
          <input aria-label={`${label}, separated by commas`} value={picked.join(', ')} onChange={(e) => props.onChange(e.target.value.split(',').map((x) => x.trim()).filter(Boolean))} />
        ) : (
          listed.map((c, k) => (
            <label key={c.value} className="check">
              <input id={`${id}-${k}`} type="checkbox" checked={picked.includes(c.value)} onChange={(e) => toggle(c.value, e.target.checked)} />
              {shown(c)}
            </label>
          ))
        )}
      </fieldset>
    );
  }
  const value = props.value === undefined || props.value === null ? '' : String(props.value);
  const options = [...(loaded.choices ?? [])];
  if (value && !options.some((c) => c.value === value)) options.unshift({ value });
  return (
    <div className="field">
      <label htmlFor={id}>{label}{props.required ? <span className="req" aria-hidden> *</span> : null}</label>
      {loaded.error || missing.length ? (
        <input id={id} value={value} required={props.required} autoComplete="off" aria-describedby={describedBy} onChange={(e) => props.onChange(e.target.value)} />
      ) : (
        <select id={id} value={value} required={props.required} aria-describedby={describedBy} onChange={(e) => props.onChange(e.target.value === '' ? undefined : e.target.value)}>
          <option value="">—</option>
          {options.map((c) => <option key={c.value} value={c.value}>{shown(c)}</option>)}
        </select>
      )}
      {help}
      {status}
    </div>
  );
}
