import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { ConfirmDialog } from '../../components/confirm.tsx';
import { ErrorMessage, LoadState } from '../../components/error-message.tsx';
import { SearchableSelect } from '../../components/searchable-select.tsx';
import { csvHeader } from '../../lib/csv-header.ts';
import { useAction, useApi } from '../../lib/use-api.ts';
import { summarizeDropColumns, type DropColumnsSummary } from './drop-columns.ts';
import { engineApi } from './engine-api.ts';

export const DONT_IMPORT = 'DontImportFromSource';
const PROFILE = ['profile', 'title', 'location', 'phone'] as const;

interface Row {
  key: string;
  label: string;
  required: boolean;
  note?: string;
  /** manual active fields may keep the learners' values */
  allowDontImport?: boolean;
  csvField?: boolean;
}

interface Mapping {
  email?: string;
  name?: string;
  manager?: string;
  userType?: string | null;
  profile?: Record<string, string | null>;
  fields?: Record<string, string>;
}

/**
 * The Map Attributes page of "Import Internal Users": the platform's columns on the left, the CSV's columns
 * on the right as searchable selects, filled from a template CSV (its header row), from the CSV files present
 * in the drop ("Discover columns"), and from the saved mapping.
 */
export function ImportUsersMapping({ connectionId, actionId, userSource }: { connectionId: number; actionId: string; userSource?: string }) {
  const options = useApi((signal) => engineApi.getOptions(connectionId, actionId, signal), [connectionId, actionId]);
  const fields = useApi((signal) => api.get('/api/v1/active-fields', { signal }), []);
  // A directory or HR system (the users capability) lists its own user fields; a file drop has none (null).
  const page = useApi((signal) => api.get('/api/v1/connections/{id}/user-import/mapping', { params: { id: connectionId }, signal }), [connectionId]);
  const sourceFields = page.data?.sourceFields ?? null;
  const vendor = sourceFields !== null;
  const [values, setValues] = useState<Record<string, string>>({});
  const [columns, setColumns] = useState<string[]>([]);
  const [template, setTemplate] = useState<string>();
  const [discovered, setDiscovered] = useState<DropColumnsSummary>();
  const [confirmDelete, setConfirmDelete] = useState<string[]>([]);
  const [pendingDelete, setPendingDelete] = useState<string>();
  const [saved, setSaved] = useState(false);
  const [touched, setTouched] = useState(false);

  const rows: Row[] = useMemo(() => [
    { key: 'email', label: 'Email', required: true, note: 'the key of a user' },
    { key: 'name', label: 'Name', required: true },
    { key: 'manager', label: 'Manager', required: true, note: vendor ? "the field with the manager's email address, or the source's own manager link" : "a column of the manager's email addresses" },
    { key: 'userType', label: 'User type', required: false, note: 'internal / external' },
    ...PROFILE.map((p) => ({ key: `profile.${p}`, label: `Profile: ${p}`, required: false })),
    ...(fields.data ?? []).map((f) => ({
      key: `fields.${f.name}`,
      label: `Active field: ${f.name}`,
      required: true,
      note: `${f.kind}${f.groupable ? ', group-able' : ''}`,
      allowDontImport: true,
      csvField: f.kind === 'csv',
    })),
  ], [fields.data, vendor]);

  // The saved mapping fills the form (and its columns count as known source columns).
  useEffect(() => {
    const o = options.data?.options as { mapping?: Mapping | null; confirmDeleteFields?: string[] } | undefined;
    const m = o?.mapping ?? null;
    if (!m) return;
    const v: Record<string, string> = {};
    if (m.email) v.email = m.email;
    if (m.name) v.name = m.name;
    if (m.manager) v.manager = m.manager;
    if (m.userType) v.userType = m.userType;
    for (const [k, c] of Object.entries(m.profile ?? {})) if (c) v[`profile.${k}`] = c;
    for (const [k, c] of Object.entries(m.fields ?? {})) v[`fields.${k}`] = c;
    setValues(v);
    setConfirmDelete(o?.confirmDeleteFields ?? []);
    setColumns((cols) => [...new Set([...cols, ...Object.values(v).filter((c) => c !== DONT_IMPORT)])]);
  }, [options.data]);

  // Columns whose name matches a platform column are proposed (the admin reviews them before saving).
  const propose = (header: string[]) => {
    setValues((v) => {
      const next = { ...v };
      for (const r of rows) {
        if (next[r.key]) continue;
        const last = r.key.split('.').pop()!.toLowerCase();
        const hit = header.find((h) => h.toLowerCase().replace(/[^a-z0-9]/g, '') === last.replace(/[^a-z0-9]/g, ''));
        if (hit) next[r.key] = hit;
      }
      return next;
    });
  };

  const onTemplate = async (file: File | undefined) => {
    if (!file) return;
    const header = csvHeader(await file.slice(0, 64 * 1024).text());
    setTemplate(`${file.name}: ${header.length} columns`);
    setDiscovered(undefined); // the columns now come from the template
    setColumns(header);
    propose(header);
  };

  const discover = useAction(async () => {
    setDiscovered(undefined);
    setTemplate(undefined); // the columns now come from the files
    const d = await api.get('/api/v1/connections/{id}/user-import/columns', { params: { id: connectionId } });
    const summary = summarizeDropColumns(d);
    setDiscovered(summary);
    if (summary.empty) return;
    setColumns(d.columns);
    propose(d.columns);
  });

  const problemOf = (r: Row): string | undefined => {
    const v = values[r.key];
    if (!v) return r.required ? 'required: not mapped' : undefined;
    if (v === DONT_IMPORT) return r.allowDontImport ? undefined : `${DONT_IMPORT} is only for active fields`;
    if (vendor && sourceFields.length && !sourceFields.some((f) => f.name === v)) return 'not a field of this source';
    if (!vendor && columns.length && !columns.includes(v)) return 'not a column of the template';
    return undefined;
  };
  const problems = rows.map((r) => [r.key, problemOf(r)] as const).filter(([, p]) => p);

  const setValue = (r: Row, v: string) => {
    setSaved(false);
    if (v === DONT_IMPORT && r.csvField) {
      setPendingDelete(r.key.slice('fields.'.length));
      return;
    }
    setValues((x) => ({ ...x, [r.key]: v }));
  };

  const save = useAction(async () => {
    const m: Mapping = { email: values.email, name: values.name, manager: values.manager, userType: values.userType || null, profile: {}, fields: {} };
    for (const p of PROFILE) m.profile![p] = values[`profile.${p}`] || null;
    for (const r of rows) if (r.key.startsWith('fields.') && values[r.key]) m.fields![r.key.slice(7)] = values[r.key];
    const base = options.data?.options ?? {};
    const stillDont = confirmDelete.filter((n) => values[`fields.${n}`] === DONT_IMPORT);
    await engineApi.putOptions(connectionId, actionId, { ...base, mapping: m, confirmDeleteFields: stillDont });
    setSaved(true);
    options.reload();
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (problems.length) return;
    void save.run();
  };

  return (
    <div>
      <h2>Map Attributes — Import Internal Users</h2>
      <p className="muted">Left: the platform's columns. Right: {vendor ? `the user fields of ${userSource ?? 'the source'}` : 'the CSV columns'}. Every required column and every active field must be mapped before the first run.</p>
      <LoadState loading={(options.loading && !options.data) || (fields.loading && !fields.data) || (page.loading && !page.data)} error={options.error ?? fields.error ?? page.error} />
      {options.data && fields.data && page.data ? <>
      {vendor ? (
        <div className="card stack" style={{ maxWidth: 'none' }}>
          <p className="muted" role="status" data-testid="source-fields">{sourceFields.length} user fields read from {userSource ?? 'the source'}.</p>
          {page.data.sourceFieldsError ? <div className="error-box" role="alert">The source's fields could not be read: {page.data.sourceFieldsError}</div> : null}
        </div>
      ) : (
      <div className="card stack" style={{ maxWidth: 'none' }}>
        <label>
          Template CSV (its header row fills the dropdowns)
          <input type="file" accept=".csv,text/csv" onChange={(e) => void onTemplate(e.target.files?.[0])} />
        </label>
        {template ? <p className="muted" role="status">{template}</p> : null}
        <div className="row">
          <button type="button" onClick={() => void discover.run()} disabled={discover.busy}>
            {discover.busy ? 'Reading the files…' : 'Discover columns from the files in the drop'}
          </button>
        </div>
        <ErrorMessage error={discover.error} />
        {discovered?.empty ? <div className="error-box" role="alert" data-testid="discover-empty">{discovered.empty}</div> : null}
        {discovered?.read ? <p className="muted" role="status" data-testid="discover-files">{discovered.read}</p> : null}
        {discovered?.disagreements.length ? (
          <div className="error-box" role="alert" data-testid="discover-disagree">
            The files do not have the same columns; a run fails unless every file has every mapped column:
            <ul>{discovered.disagreements.map((d) => <li key={d}>{d}</li>)}</ul>
          </div>
        ) : null}
      </div>
      )}
      <form onSubmit={submit} aria-label="Mapping">
        <div className="table-wrap" style={{ marginTop: '1rem' }}>
          <table className="mapping">
            <thead><tr><th scope="col">Learning platform column</th><th scope="col">{vendor ? 'Source field' : 'CSV column'}</th></tr></thead>
            <tbody>
              {rows.map((r) => {
                const problem = problemOf(r);
                const show = problem && (touched || values[r.key]);
                return (
                  <tr key={r.key} data-key={r.key}>
                    <th scope="row" style={{ background: 'transparent', color: 'inherit', fontSize: 'inherit' }}>
                      {r.label}{r.required ? <span className="req" aria-label="required"> *</span> : null}
                      {r.note ? <div className="muted">{r.note}</div> : null}
                    </th>
                    <td>
                      {vendor ? (
                        // The vendor's fields by what an admin reads (their label); the saved value is the field's name.
                        <select aria-label={`Source field for ${r.label}`} aria-invalid={show ? true : undefined} value={values[r.key] ?? ''} onChange={(e) => setValue(r, e.target.value)}>
                          <option value="">{r.required ? 'Select a field' : 'Not imported'}</option>
                          {r.allowDontImport ? <option value={DONT_IMPORT}>Do not import from the source</option> : null}
                          {values[r.key] && values[r.key] !== DONT_IMPORT && !sourceFields.some((f) => f.name === values[r.key]) ? <option value={values[r.key]}>{values[r.key]} (not offered by the source)</option> : null}
                          {sourceFields.map((f) => <option key={f.name} value={f.name} title={f.description}>{f.label ?? f.name}</option>)}
                        </select>
                      ) : (
                        <SearchableSelect
                          label={`CSV column for ${r.label}`}
                          value={values[r.key] ?? ''}
                          options={r.allowDontImport ? [DONT_IMPORT, ...columns] : columns}
                          invalid={Boolean(show)}
                          onChange={(v) => setValue(r, v)}
                        />
                      )}
                      {show ? <div className="req" style={{ fontWeight: 400 }}>{problem}</div> : null}
                      {values[r.key] === DONT_IMPORT && r.csvField ? <div className="muted">this csv field will be deleted from the platform</div> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {touched && problems.length ? <div className="error-box" role="alert">{problems.length} column(s) need a mapping: {problems.map(([k]) => k).join(', ')}</div> : null}
        <ErrorMessage error={save.error} />
        {saved ? <div className="ok-box" role="status">Mapping saved.</div> : null}
        <div className="row end"><button type="submit" className="primary" disabled={save.busy}>Save</button></div>
      </form>
      </> : null}
      <ConfirmDialog
        open={pendingDelete !== undefined}
        title={`Delete the active field "${pendingDelete}"?`}
        confirmLabel="Delete the field and do not import it"
        danger
        onCancel={() => setPendingDelete(undefined)}
        onConfirm={() => {
          const n = pendingDelete!;
          setPendingDelete(undefined);
          setValues((x) => ({ ...x, [`fields.${n}`]: DONT_IMPORT }));
          setConfirmDelete((c) => [...new Set([...c, n])]);
        }}
      >
        <p>"{pendingDelete}" is a csv active field. Choosing {DONT_IMPORT} for it deletes the field and its values from the platform on the next import.</p>
      </ConfirmDialog>
    </div>
  );
}
