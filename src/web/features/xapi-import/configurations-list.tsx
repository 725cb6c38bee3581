import { useState, type FormEvent } from 'react';
import { ConfirmDialog } from '../../components/confirm.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { useAction } from '../../lib/use-api.ts';
import { xapiImportApi, type XapiImportConfig } from './xapi-import-api.ts';

/**
 * The spec's "Configuration" part of Import xAPI: the connection's configurations (name and source file name,
 * matched in import/xapi/), with Edit / Delete and "Add a new Configuration". Choosing one shows its filters
 * or mapping below.
 */
export function ConfigurationsList(props: { connectionId: number; configs: XapiImportConfig[]; selected?: string; onSelect(id: string | undefined): void; onChanged(): void }) {
  const { connectionId, configs, selected } = props;
  const [editing, setEditing] = useState<string | 'new'>();
  const [name, setName] = useState('');
  const [source, setSource] = useState('');
  const [confirmDelete, setConfirmDelete] = useState<XapiImportConfig>();
  const open = (c?: XapiImportConfig) => {
    setEditing(c ? c.id : 'new');
    setName(c?.name ?? '');
    setSource(c?.sourceFileName ?? '');
  };
  const save = useAction(async () => {
    const body = { name: name.trim(), sourceFileName: source.trim() };
    const c = editing === 'new' ? await xapiImportApi.create(connectionId, body) : await xapiImportApi.update(connectionId, editing!, body);
    setEditing(undefined);
    props.onSelect(c.id);
    props.onChanged();
  });
  const remove = useAction(async (id: string) => {
    await xapiImportApi.remove(connectionId, id);
    if (selected === id) props.onSelect(undefined);
    props.onChanged();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save.run();
  };
  return (
    <div className="stack card" style={{ maxWidth: 980 }} aria-label="Configurations">
      <h3>Configurations</h3>
      <div className="table-wrap">
        <table>
          <thead><tr><th>Name</th><th>Source file name</th><th>Ready</th><th></th></tr></thead>
          <tbody>
            {configs.map((c) => (
              <tr key={c.id} aria-current={c.id === selected ? 'true' : undefined}>
                <td><button type="button" onClick={() => props.onSelect(c.id)}>{c.name}</button></td>
                <td className="code">{c.sourceFileName}</td>
                <td title={c.problems.join('; ')}>{c.ready ? 'yes' : 'map the required paths'}</td>
                <td><div className="row">
                  <button type="button" onClick={() => open(c)} aria-label={`Edit ${c.name}`}>Edit</button>
                  <button type="button" onClick={() => setConfirmDelete(c)} aria-label={`Delete ${c.name}`}>Delete…</button>
                </div></td>
              </tr>
            ))}
            {configs.length === 0 ? <tr><td colSpan={4} className="muted">No configuration yet.</td></tr> : null}
          </tbody>
        </table>
      </div>
      {editing ? (
        <form className="row" onSubmit={submit} aria-label="Configure Import-Sources">
          <label>Name<input required value={name} onChange={(e) => setName(e.target.value)} /></label>
          <label>
            Source File Name
            <input required value={source} placeholder="activity_*.csv" onChange={(e) => setSource(e.target.value)} />
          </label>
          <button type="submit" className="primary" disabled={save.busy}>Save</button>
          <button type="button" onClick={() => setEditing(undefined)}>Cancel</button>
        </form>
      ) : (
        <div><button type="button" onClick={() => open()}>Add a new Configuration</button></div>
      )}
      <p className="muted">The source file name is matched in <span className="code">import/xapi/</span>: the exact name, or a pattern with * (any characters) and ? (one character).</p>
      <ErrorMessage error={save.error ?? remove.error} />
      <ConfirmDialog
        open={confirmDelete !== undefined}
        title={`Delete the configuration “${confirmDelete?.name}”?`}
        confirmLabel="Delete"
        danger
        onCancel={() => setConfirmDelete(undefined)}
        onConfirm={() => { const id = confirmDelete!.id; setConfirmDelete(undefined); void remove.run(id); }}
      >
        <p>Its filters and mapping go with it; files matching {confirmDelete?.sourceFileName} are no longer imported.</p>
      </ConfirmDialog>
    </div>
  );
}
