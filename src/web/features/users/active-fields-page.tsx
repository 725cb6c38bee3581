import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { ConfirmDialog } from '../../components/confirm.tsx';
import { ErrorMessage, LoadState } from '../../components/error-message.tsx';
import { Link } from '../../lib/router.tsx';
import { useAction, useApi } from '../../lib/use-api.ts';

/** Users > Active fields: the account's user attributes; csv ones are filled by imports, manual ones by learners. */
export function ActiveFieldsPage() {
  const fields = useApi((signal) => api.get('/api/v1/active-fields', { signal }), []);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'csv' | 'manual'>('csv');
  const [groupable, setGroupable] = useState(false);
  const [remove, setRemove] = useState<{ id: number; name: string }>();
  const [regroup, setRegroup] = useState<{ id: number; name: string; groupable: boolean }>();
  const [added, setAdded] = useState<{ name: string; mappings: number }>();
  const create = useAction(async () => {
    const f = await api.post('/api/v1/active-fields', { body: { name, kind, groupable } });
    setAdded({ name: f.name, mappings: f.mappingsToUpdate });
    setName('');
    fields.reload();
  });
  const toggle = useAction(async (id: number, g: boolean) => {
    await api.patch('/api/v1/active-fields/{id}', { params: { id }, body: { groupable: g } });
    fields.reload();
  });
  const del = useAction(async (id: number) => {
    await api.delete('/api/v1/active-fields/{id}', { params: { id } });
    fields.reload();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void create.run();
  };
  return (
    <section aria-labelledby="af-title">
      <p><Link to="/users">← Users</Link></p>
      <h1 id="af-title">Users › Active fields</h1>
      <form className="row card" onSubmit={submit}>
        <label>Name<input required value={name} onChange={(e) => setName(e.target.value)} /></label>
        <label>Kind
          <select value={kind} onChange={(e) => setKind(e.target.value as 'csv' | 'manual')}>
            <option value="csv">Filled by imports</option>
            <option value="manual">Entered by learners</option>
          </select>
        </label>
        <label className="check"><input type="checkbox" checked={groupable} onChange={(e) => setGroupable(e.target.checked)} />Group-able (a user group per value)</label>
        <button type="submit" className="primary" disabled={create.busy}>Add field</button>
      </form>
      {added ? (
        <p className="card" role="status" data-testid="field-added">
          “{added.name}” was added.{' '}
          {added.mappings > 0
            ? `${added.mappings === 1 ? 'One user import mapping does' : `${added.mappings} user import mappings do`} not fill it yet. Imports keep running and leave it empty until you map it on the connection's Mapping page.`
            : 'No user import fills it yet.'}
        </p>
      ) : null}
      <ErrorMessage error={create.error ?? toggle.error ?? del.error} />
      <LoadState loading={fields.loading && !fields.data} error={fields.error} />
      {fields.data ? (
        <div className="table-wrap" style={{ marginTop: '1rem' }}>
          <table>
            <thead><tr><th>Name</th><th>Kind</th><th>Group-able</th><th></th></tr></thead>
            <tbody>
              {fields.data.map((f) => (
                <tr key={f.id}>
                  <td>{f.name}</td>
                  <td>{f.kind === 'csv' ? 'Filled by imports' : 'Entered by learners'}</td>
                  <td><input type="checkbox" aria-label={`${f.name} is group-able`} checked={f.groupable} onChange={(e) => setRegroup({ id: f.id, name: f.name, groupable: e.target.checked })} /></td>
                  <td><button type="button" onClick={() => setRemove({ id: f.id, name: f.name })}>Delete</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <ConfirmDialog
        open={regroup !== undefined}
        title={regroup?.groupable ? `Make “${regroup?.name}” group-able?` : `Stop grouping by “${regroup?.name}”?`}
        confirmLabel={regroup?.groupable ? 'Make group-able' : 'Stop grouping'}
        danger={!regroup?.groupable}
        onCancel={() => setRegroup(undefined)}
        onConfirm={() => { const r = regroup!; setRegroup(undefined); void toggle.run(r.id, r.groupable); }}
      >
        <p>{regroup?.groupable
          ? 'A user group is made for each value of this field, and users join the group of their value.'
          : 'The user groups made from this field are removed; enrollments and reports that use those groups change.'}</p>
      </ConfirmDialog>
      <ConfirmDialog open={remove !== undefined} title={`Delete the active field "${remove?.name}"?`} confirmLabel="Delete" danger onCancel={() => setRemove(undefined)} onConfirm={() => { const id = remove!.id; setRemove(undefined); void del.run(id); }}>
        <p>Its values and the groups made from it are removed.</p>
      </ConfirmDialog>
    </section>
  );
}
