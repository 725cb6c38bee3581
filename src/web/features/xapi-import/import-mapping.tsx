import { useEffect, useState } from 'react';
import { ErrorMessage } from '../../components/error-message.tsx';
import { useAction } from '../../lib/use-api.ts';
import { MAPPING_TYPES, REQUIRED_PATHS, xapiImportApi, type XapiImportConfig, type XapiImportMapping } from './xapi-import-api.ts';

type Preview = Awaited<ReturnType<typeof xapiImportApi.preview>>;

/**
 * The spec's "Import xAPI Statements-Configuration-Mapping" page: xAPI JSON paths on the left, CSV columns
 * on the right with their type; actor.mbox, verb.id and object.id are always there; "Add a new Mapping" adds
 * more. Preview converts the first rows of the source file without storing anything.
 */
export function ImportMapping({ connectionId, config, columns, onSaved }: { connectionId: number; config: XapiImportConfig; columns: string[]; onSaved(): void }) {
  const [mappings, setMappings] = useState<XapiImportMapping[]>(config.mappings);
  const [dateFormat, setDateFormat] = useState(config.dateFormat ?? '');
  const [saved, setSaved] = useState(false);
  const [preview, setPreview] = useState<Preview>();
  useEffect(() => {
    setMappings(config.mappings);
    setDateFormat(config.dateFormat ?? '');
    setSaved(false);
    setPreview(undefined);
  }, [config.id]);
  const save = useAction(async () => {
    await xapiImportApi.update(connectionId, config.id, { mappings, ...(dateFormat.trim() ? { dateFormat: dateFormat.trim() } : {}) });
    setSaved(true);
    onSaved();
  });
  const runPreview = useAction(async () => setPreview(await xapiImportApi.preview(connectionId, config.id)));
  const set = (i: number, m: Partial<XapiImportMapping>) => {
    setSaved(false);
    setMappings((ms) => ms.map((x, k) => (k === i ? { ...x, ...m } : x)));
  };
  return (
    <div className="stack card" style={{ maxWidth: 980 }} aria-label="Mapping">
      <h3>Mapping — {config.name}</h3>
      <datalist id="xapi-import-columns">{columns.map((c) => <option key={c} value={c} />)}</datalist>
      {columns.length === 0 ? <p className="muted">No file matching <span className="code">{config.sourceFileName}</span> in import/xapi/ yet: type the column names, or upload a file to choose them.</p> : null}
      <div className="table-wrap">
        <table>
          <thead><tr><th>xAPI JSON path</th><th>CSV column</th><th>Type</th><th></th></tr></thead>
          <tbody>
            {mappings.map((m, i) => {
              const required = REQUIRED_PATHS.includes(m.path);
              return (
                <tr key={i}>
                  <td>{required ? <span className="code">{m.path}</span> : <input aria-label={`Mapping ${i + 1} path`} className="code" placeholder="result.score.scaled" value={m.path} onChange={(e) => set(i, { path: e.target.value })} />}</td>
                  <td><input aria-label={`Column for ${m.path || `mapping ${i + 1}`}`} list="xapi-import-columns" value={m.column} onChange={(e) => set(i, { column: e.target.value })} /></td>
                  <td>
                    <select aria-label={`Type of ${m.path || `mapping ${i + 1}`}`} value={m.type} onChange={(e) => set(i, { type: e.target.value as XapiImportMapping['type'] })}>
                      {MAPPING_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
                    </select>
                  </td>
                  <td>{required ? <span className="muted">required</span> : <button type="button" onClick={() => { setSaved(false); setMappings((ms) => ms.filter((_, k) => k !== i)); }}>Delete</button>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div><button type="button" onClick={() => setMappings((ms) => [...ms, { path: '', column: '', type: 'string' }])}>Add a new Mapping</button></div>
      <label>Date format of non-ISO dates (optional, e.g. MM/dd/yyyy HH:mm)<input value={dateFormat} onChange={(e) => { setSaved(false); setDateFormat(e.target.value); }} /></label>
      <p className="muted">E-mail addresses in an mbox column get “mailto:” when they lack it. Extension keys: <span className="code">context.extensions.http://example.com/ext/x</span>.</p>
      <ErrorMessage error={save.error ?? runPreview.error} />
      {saved ? <div className="ok-box" role="status">Mapping saved.</div> : null}
      <div className="row">
        <button type="button" className="primary" disabled={save.busy} onClick={() => void save.run()}>Save</button>
        <button type="button" disabled={runPreview.busy} onClick={() => void runPreview.run()}>Preview</button>
      </div>
      {preview ? (
        <div className="table-wrap" aria-label="Preview">
          {preview.file ? null : <p className="muted">No file matches the source file name.</p>}
          {preview.missingColumns.length ? <p className="error-box">{preview.file} lacks the columns {preview.missingColumns.join(', ')}.</p> : null}
          <table>
            <thead><tr><th>Line</th><th>Outcome</th><th>Statement or reason</th></tr></thead>
            <tbody>
              {preview.rows.map((r) => (
                <tr key={`${r.file}:${r.line}`}>
                  <td>{r.line}</td>
                  <td>{r.outcome}</td>
                  <td className="code">{r.statement ? JSON.stringify(r.statement) : `${r.field ? `${r.field}: ` : ''}${r.reason}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
