import { useEffect, useState } from 'react';
import { ConfirmDialog } from '../../components/confirm.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { useAction } from '../../lib/use-api.ts';
import { FILTER_OPS, xapiImportApi, type XapiImportCondition, type XapiImportConfig, type XapiImportFilter } from './xapi-import-api.ts';

const NEW_CONDITION: XapiImportCondition = { column: '', op: 'equals', value: '' };
const needsValue = (op: XapiImportCondition['op']) => op !== 'is_empty' && op !== 'is_not_empty';

/**
 * The spec's "Configure Import-Filter" page: filters with a name and conditions on CSV columns, each saved
 * or deleted on its own row ("Add new Filter" adds one). A row is imported when it passes every filter;
 * within a filter, all conditions or any one of them must hold.
 */
export function ImportFilters({ connectionId, config, columns, onSaved }: { connectionId: number; config: XapiImportConfig; columns: string[]; onSaved(): void }) {
  const [filters, setFilters] = useState<XapiImportFilter[]>(config.filters);
  const [saved, setSaved] = useState<string>();
  const [confirmDelete, setConfirmDelete] = useState<number>();
  useEffect(() => {
    setFilters(config.filters);
    setSaved(undefined);
  }, [config.id]);
  const persist = useAction(async (next: XapiImportFilter[], message: string) => {
    await xapiImportApi.update(connectionId, config.id, { filters: next });
    setFilters(next);
    setSaved(message);
    onSaved();
  });
  const setFilter = (i: number, f: Partial<XapiImportFilter>) => setFilters((fs) => fs.map((x, k) => (k === i ? { ...x, ...f } : x)));
  const setCond = (i: number, j: number, c: Partial<XapiImportCondition>) =>
    setFilter(i, { conditions: filters[i].conditions.map((x, k) => (k === j ? { ...x, ...c } : x)) });
  return (
    <div className="stack card" style={{ maxWidth: 980 }} aria-label="Filter">
      <h3>Filter — {config.name}</h3>
      <p className="muted">A row is imported when it passes every filter. Greater / less than compare numbers or dates (ISO 8601 or the configuration's date format); a cell that is neither is rejected into the error report.</p>
      <datalist id="xapi-import-filter-columns">{columns.map((c) => <option key={c} value={c} />)}</datalist>
      <div className="table-wrap">
        <table className="cards-on-phone">
          <thead><tr><th>Name</th><th>Conditions</th><th>Actions</th></tr></thead>
          <tbody>
            {filters.map((f, i) => (
              <tr key={i}>
                <td data-label="Name"><div className="stack">
                  <input aria-label={`Filter ${i + 1} name`} value={f.name} onChange={(e) => setFilter(i, { name: e.target.value })} />
                  <select aria-label={`Filter ${i + 1} match`} value={f.match} onChange={(e) => setFilter(i, { match: e.target.value as 'all' | 'any' })}>
                    <option value="all">all conditions</option>
                    <option value="any">any condition</option>
                  </select>
                </div></td>
                <td data-label="Conditions"><div className="stack">
                  {f.conditions.map((c, j) => (
                    <div className="row" key={j}>
                      <input aria-label={`Filter ${i + 1} condition ${j + 1} column`} list="xapi-import-filter-columns" placeholder="column" value={c.column} onChange={(e) => setCond(i, j, { column: e.target.value })} />
                      <select aria-label={`Filter ${i + 1} condition ${j + 1} operator`} value={c.op} onChange={(e) => setCond(i, j, { op: e.target.value as XapiImportCondition['op'] })}>
                        {FILTER_OPS.map((o) => <option key={o.op} value={o.op}>{o.label}</option>)}
                      </select>
                      {needsValue(c.op) ? <input aria-label={`Filter ${i + 1} condition ${j + 1} value`} placeholder="value" value={c.value} onChange={(e) => setCond(i, j, { value: e.target.value })} /> : null}
                      <button type="button" aria-label={`Remove condition ${j + 1} of filter ${i + 1}`} onClick={() => setFilter(i, { conditions: f.conditions.filter((_, k) => k !== j) })}>×</button>
                    </div>
                  ))}
                  <div><button type="button" onClick={() => setFilter(i, { conditions: [...f.conditions, NEW_CONDITION] })}>Add condition</button></div>
                </div></td>
                <td data-label="Actions"><div className="row">
                  <button type="button" className="primary" disabled={persist.busy} onClick={() => void persist.run(filters, `Filter “${f.name}” saved.`)}>Save</button>
                  <button type="button" disabled={persist.busy} onClick={() => setConfirmDelete(i)} aria-label={`Delete filter “${f.name}”`}>Delete…</button>
                </div></td>
              </tr>
            ))}
            {filters.length === 0 ? <tr><td colSpan={3} className="muted">No filter: every row is imported.</td></tr> : null}
          </tbody>
        </table>
      </div>
      <div><button type="button" onClick={() => setFilters((fs) => [...fs, { name: `Filter ${fs.length + 1}`, match: 'all', conditions: [NEW_CONDITION] }])}>Add new Filter</button></div>
      <ErrorMessage error={persist.error} />
      {saved ? <div className="ok-box" role="status">{saved}</div> : null}
      <ConfirmDialog
        open={confirmDelete !== undefined}
        title={`Delete the filter “${confirmDelete !== undefined ? filters[confirmDelete]?.name : ''}”?`}
        confirmLabel="Delete"
        danger
        onCancel={() => setConfirmDelete(undefined)}
        onConfirm={() => {
          const i = confirmDelete!;
          const name = filters[i]?.name;
          setConfirmDelete(undefined);
          void persist.run(filters.filter((_, k) => k !== i), `Filter “${name}” deleted.`);
        }}
      >
        <p>Rows it kept out are imported by the next runs.</p>
      </ConfirmDialog>
    </div>
  );
}
