import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { ErrorMessage, LoadState } from '../../components/error-message.tsx';
import { useAction, useApi } from '../../lib/use-api.ts';
import { engineApi } from './engine-api.ts';

/** The parts of the import's saved options this pane edits (the server validates them with its zod schema). */
interface SavedOptions {
  filters: { managers: string[]; values: Array<{ column: string; values: string[] }> };
  absentUsers: 'keep' | 'suspend' | 'delete';
  approvalThreshold: number;
}

interface Condition {
  column: string;
  values: string;
}

/**
 * Filters of "Import Internal Users": only users under some managers (transitively), only rows whose column
 * equals one of some values; and what happens to this source's users missing from the files.
 */
export function ImportUsersFilters({ connectionId, actionId }: { connectionId: number; actionId: string }) {
  const options = useApi((signal) => engineApi.getOptions(connectionId, actionId, signal), [connectionId, actionId]);
  // A directory or HR system names its user fields (chosen by label); a file drop's columns are typed.
  const page = useApi((signal) => api.get('/api/v1/connections/{id}/user-import/mapping', { params: { id: connectionId }, signal }), [connectionId]);
  const sourceFields = page.data?.sourceFields ?? null;
  const [managers, setManagers] = useState('');
  const [conditions, setConditions] = useState<Condition[]>([]);
  const [absentUsers, setAbsentUsers] = useState<'keep' | 'suspend' | 'delete'>('keep');
  const [threshold, setThreshold] = useState(10);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    const o = options.data?.options as Partial<SavedOptions> | undefined;
    if (!o) return;
    setManagers((o.filters?.managers ?? []).join('\n'));
    setConditions((o.filters?.values ?? []).map((c) => ({ column: c.column, values: c.values.join(', ') })));
    if (o.absentUsers) setAbsentUsers(o.absentUsers);
    if (typeof o.approvalThreshold === 'number') setThreshold(Math.round(o.approvalThreshold * 100));
  }, [options.data]);

  const save = useAction(async () => {
    const base = options.data?.options ?? {};
    await engineApi.putOptions(connectionId, actionId, {
      ...base,
      filters: {
        managers: managers.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean),
        values: conditions.filter((c) => c.column.trim()).map((c) => ({ column: c.column.trim(), values: c.values.split(',').map((v) => v.trim()).filter(Boolean) })),
      },
      absentUsers,
      approvalThreshold: threshold / 100,
    });
    setSaved(true);
    options.reload();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    void save.run();
  };
  const setCond = (i: number, c: Partial<Condition>) => setConditions((cs) => cs.map((x, k) => (k === i ? { ...x, ...c } : x)));
  return (
    <div>
      <h2>Filters — Import Internal Users</h2>
      <LoadState loading={(options.loading && !options.data) || (page.loading && !page.data)} error={options.error ?? page.error} />
      {/* The form appears once the saved options are loaded, so nothing typed earlier is overwritten. */}
      {options.data && page.data ? <form className="stack card" onSubmit={submit}>
        <label>
          Only users under these managers (emails, one per line; the hierarchy below them is included)
          <textarea rows={3} value={managers} onChange={(e) => setManagers(e.target.value)} />
        </label>
        <fieldset>
          <legend>{sourceFields ? 'Only users whose field equals one of the values' : 'Only rows where a column equals one of the values'}</legend>
          {conditions.map((c, i) => (
            <div className="row" key={i}>
              {sourceFields ? (
                <label>
                  Field
                  <select aria-label={`Field of filter ${i + 1}`} value={c.column} onChange={(e) => setCond(i, { column: e.target.value })}>
                    <option value="">Select a field</option>
                    {c.column && !sourceFields.some((f) => f.name === c.column) ? <option value={c.column}>{c.column}</option> : null}
                    {sourceFields.map((f) => <option key={f.name} value={f.name}>{f.label ?? f.name}</option>)}
                  </select>
                </label>
              ) : (
                <label>
                  Column
                  <input value={c.column} onChange={(e) => setCond(i, { column: e.target.value })} />
                </label>
              )}
              <label>
                Values (comma-separated)
                <input value={c.values} onChange={(e) => setCond(i, { values: e.target.value })} />
              </label>
              <button type="button" onClick={() => setConditions((cs) => cs.filter((_, k) => k !== i))} aria-label={`Delete filter ${i + 1}`}>Delete</button>
            </div>
          ))}
          <div><button type="button" onClick={() => setConditions((cs) => [...cs, { column: '', values: '' }])}>Add new Filter</button></div>
        </fieldset>
        <label>
          {sourceFields ? 'Users no longer in this source (removed or deactivated there)' : 'Users of this source missing from the files'}
          <select value={absentUsers} onChange={(e) => setAbsentUsers(e.target.value as typeof absentUsers)}>
            <option value="keep">keep them</option>
            <option value="suspend">suspend them</option>
            <option value="delete">delete them</option>
          </select>
        </label>
        <label>
          Ask for approval when a run would suspend or delete more than (%) of this source's users
          <input type="number" min={0} max={100} value={threshold} onChange={(e) => setThreshold(Number(e.target.value))} />
        </label>
        <ErrorMessage error={save.error} />
        {saved ? <div className="ok-box" role="status">Filters saved.</div> : null}
        <div className="row"><button type="submit" className="primary" disabled={save.busy}>Save</button></div>
      </form> : null}
    </div>
  );
}
