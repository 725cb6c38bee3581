import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ErrorMessage } from '../../components/error-message.tsx';
import { useAction } from '../../lib/use-api.ts';
import { COLUMN_TYPES, xapiExportApi, type XapiColumnType, type XapiExportColumn, type XapiExportConfig } from './xapi-export-api.ts';

/** The column types in words (the values are the API's). */
const TYPE_LABELS: Record<XapiColumnType, string> = { string: 'Text', number: 'Number', boolean: 'Yes / no', date: 'Date and time' };
const EMPTY: XapiExportColumn = { path: '', column: '', type: 'string' };
const STARTER: XapiExportColumn[] = [
  { path: 'actor.mbox', column: 'Learner', type: 'string' },
  { path: 'verb.id', column: 'Verb', type: 'string' },
  { path: 'object.id', column: 'Activity', type: 'string' },
  { path: 'timestamp', column: 'Timestamp', type: 'date' },
];

/**
 * Edits one export configuration as the spec's Power BI page does: a JSON path / column / type line with Add
 * (or Update while a row is being edited), the rows with Edit and Remove, then Save. Preview shows the first
 * rows the CSV would hold with the unsaved columns. A connection's page puts its own fields (`children`) in the
 * same form and saves them after the configuration (`afterSave`): one form, one Save.
 */
export function ConfigEditor({ config, onSaved, children, afterSave, savedText }: { config?: XapiExportConfig; onSaved(c: XapiExportConfig): void; children?: ReactNode; afterSave?(c: XapiExportConfig): Promise<void>; savedText?(c: XapiExportConfig): string }) {
  const [name, setName] = useState(config?.name ?? '');
  const [columns, setColumns] = useState<XapiExportColumn[]>(config?.columns ?? STARTER);
  const [draft, setDraft] = useState<XapiExportColumn>(EMPTY);
  const [editing, setEditing] = useState<number>();
  const [saved, setSaved] = useState<string>();
  const [preview, setPreview] = useState<{ columns: string[]; rows: string[][] }>();
  // A new configuration just saved comes back as `config`: keep the screen (and its "Saved.") as it is.
  const justSaved = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (config && config.id === justSaved.current) return;
    setName(config?.name ?? '');
    setColumns(config?.columns ?? STARTER);
    setDraft(EMPTY);
    setEditing(undefined);
    setPreview(undefined);
    setSaved(undefined);
  }, [config?.id]);

  const save = useAction(async () => {
    const body = { name, columns };
    const c = config ? await xapiExportApi.update(config.id, body) : await xapiExportApi.create(body);
    justSaved.current = c.id;
    await afterSave?.(c);
    setSaved(savedText?.(c) ?? 'Saved.');
    onSaved(c);
  });
  const runPreview = useAction(async () => setPreview(await xapiExportApi.preview(columns)));

  const [draftError, setDraftError] = useState<Error>();
  const addOrUpdate = () => {
    const row = { ...draft, path: draft.path.trim(), column: draft.column.trim() };
    setDraftError(row.path && row.column ? undefined : new Error('A column needs a JSON path and a column name.'));
    if (!row.path || !row.column) return;
    setColumns((cs) => (editing === undefined ? [...cs, row] : cs.map((c, i) => (i === editing ? row : c))));
    setDraft(EMPTY);
    setEditing(undefined);
    setSaved(undefined);
  };
  const edit = (i: number) => {
    setDraft(columns[i]);
    setEditing(i);
  };
  const remove = (i: number) => {
    setColumns((cs) => cs.filter((_, j) => j !== i));
    if (editing === i) {
      setEditing(undefined);
      setDraft(EMPTY);
    }
    setSaved(undefined);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(undefined);
    void save.run();
  };

  return (
    <div className="stack">
      <form className="stack card" onSubmit={submit} aria-label="Configuration">
        {children}
        <label>Configuration name<input required value={name} onChange={(e) => { setName(e.target.value); setSaved(undefined); }} /></label>
        <div className="table-wrap">
          <table>
            <thead><tr><th>#</th><th>JSON path</th><th>Column</th><th>Type</th><th></th></tr></thead>
            <tbody>
              {columns.map((c, i) => (
                <tr key={`${i}:${c.column}`} aria-current={editing === i ? 'true' : undefined}>
                  <td>{i + 1}</td>
                  <td className="code">{c.path}</td>
                  <td>{c.column}</td>
                  <td>{TYPE_LABELS[c.type]}</td>
                  <td className="row">
                    <button type="button" onClick={() => edit(i)} aria-label={`Edit ${c.column}`}>Edit</button>
                    <button type="button" onClick={() => remove(i)} aria-label={`Remove ${c.column}`}>Remove</button>
                  </td>
                </tr>
              ))}
              {columns.length === 0 ? <tr><td colSpan={5} className="muted">No columns yet: add a JSON path below.</td></tr> : null}
            </tbody>
          </table>
        </div>
        <div className="row" role="group" aria-label="Add a column" onKeyDown={(e) => { if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'INPUT') { e.preventDefault(); addOrUpdate(); } }}>
          <label>JSON path<input value={draft.path} placeholder='context.extensions["http://…"]' onChange={(e) => setDraft({ ...draft, path: e.target.value })} /></label>
          <label>Column<input value={draft.column} onChange={(e) => setDraft({ ...draft, column: e.target.value })} /></label>
          <label>
            Type
            <select value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.target.value as XapiColumnType })}>
              {COLUMN_TYPES.map((t) => <option key={t} value={t}>{TYPE_LABELS[t]}</option>)}
            </select>
          </label>
          <button type="button" onClick={addOrUpdate}>{editing === undefined ? 'Add' : 'Update'}</button>
          {editing !== undefined ? <button type="button" onClick={() => { setEditing(undefined); setDraft(EMPTY); }}>Cancel</button> : null}
        </div>
        <ErrorMessage error={draftError} />
        <p className="muted">A statement that lacks a path, or holds a value of another type there, gets <span className="code">N/A</span> in that column.</p>
        <ErrorMessage error={save.error ?? runPreview.error} />
        {saved ? <div className="ok-box" role="status">{saved}</div> : null}
        <div className="row">
          <button type="submit" className="primary" disabled={save.busy || columns.length === 0}>Save</button>
          <button type="button" onClick={() => void runPreview.run()} disabled={runPreview.busy || columns.length === 0}>Preview</button>
        </div>
      </form>
      {preview ? (
        <div className="table-wrap" aria-label="Preview">
          <table>
            <thead><tr>{preview.columns.map((c) => <th key={c}>{c}</th>)}</tr></thead>
            <tbody>
              {preview.rows.map((r, i) => <tr key={i}>{r.map((v, j) => <td key={j} className={v === 'N/A' ? 'muted' : undefined}>{v}</td>)}</tr>)}
              {preview.rows.length === 0 ? <tr><td colSpan={preview.columns.length} className="muted">No statements stored yet.</td></tr> : null}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
