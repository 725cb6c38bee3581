import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../components/error-message.tsx';
import { useAction } from '../../lib/use-api.ts';
import { COLUMN_TYPES, xapiExportApi, type XapiColumnType, type XapiExportColumn, type XapiExportConfig } from './xapi-export-api.ts';

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
 * rows the CSV would hold with the unsaved columns.
 */
export function ConfigEditor({ config, onSaved }: { config?: XapiExportConfig; onSaved(c: XapiExportConfig): void }) {
  const [name, setName] = useState(config?.name ?? '');
  const [columns, setColumns] = useState<XapiExportColumn[]>(config?.columns ?? STARTER);
  const [draft, setDraft] = useState<XapiExportColumn>(EMPTY);
  const [editing, setEditing] = useState<number>();
  const [saved, setSaved] = useState(false);
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
    setSaved(false);
  }, [config?.id]);

  const save = useAction(async () => {
    const body = { name, columns };
    const c = config ? await xapiExportApi.update(config.id, body) : await xapiExportApi.create(body);
    justSaved.current = c.id;
    setSaved(true);
    onSaved(c);
  });
  const runPreview = useAction(async () => setPreview(await xapiExportApi.preview(columns)));

  const addOrUpdate = (e: FormEvent) => {
    e.preventDefault();
    const row = { ...draft, path: draft.path.trim(), column: draft.column.trim() };
    setColumns((cs) => (editing === undefined ? [...cs, row] : cs.map((c, i) => (i === editing ? row : c))));
    setDraft(EMPTY);
    setEditing(undefined);
    setSaved(false);
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
    setSaved(false);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    void save.run();
  };

  return (
    <div className="stack">
      <form className="row card" onSubmit={addOrUpdate} aria-label="Add a column">
        <label>JSON path<input required value={draft.path} placeholder='context.extensions["http://…"]' onChange={(e) => setDraft({ ...draft, path: e.target.value })} /></label>
        <label>Column<input required value={draft.column} onChange={(e) => setDraft({ ...draft, column: e.target.value })} /></label>
        <label>
          Type
          <select value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.target.value as XapiColumnType })}>
            {COLUMN_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </label>
        <button type="submit">{editing === undefined ? 'Add' : 'Update'}</button>
        {editing !== undefined ? <button type="button" onClick={() => { setEditing(undefined); setDraft(EMPTY); }}>Cancel</button> : null}
      </form>
      <form className="stack card" onSubmit={submit} aria-label="Configuration">
        <label>Configuration name<input required value={name} onChange={(e) => { setName(e.target.value); setSaved(false); }} /></label>
        <div className="table-wrap">
          <table>
            <thead><tr><th>#</th><th>JSON path</th><th>Column</th><th>Type</th><th></th></tr></thead>
            <tbody>
              {columns.map((c, i) => (
                <tr key={`${i}:${c.column}`} aria-current={editing === i ? 'true' : undefined}>
                  <td>{i + 1}</td>
                  <td className="code">{c.path}</td>
                  <td>{c.column}</td>
                  <td>{c.type}</td>
                  <td className="row">
                    <button type="button" onClick={() => edit(i)} aria-label={`Edit ${c.column}`}>Edit</button>
                    <button type="button" onClick={() => remove(i)} aria-label={`Remove ${c.column}`}>Remove</button>
                  </td>
                </tr>
              ))}
              {columns.length === 0 ? <tr><td colSpan={5} className="muted">No columns yet: add a JSON path above.</td></tr> : null}
            </tbody>
          </table>
        </div>
        <p className="muted">A statement that lacks a path, or holds a value of another type there, gets <span className="code">N/A</span> in that column.</p>
        <ErrorMessage error={save.error ?? runPreview.error} />
        {saved ? <div className="ok-box" role="status">Saved.</div> : null}
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
