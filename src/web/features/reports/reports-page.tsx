import { useState } from 'react';
import { api, download } from '../../api/client.ts';
import { ErrorMessage, LoadState } from '../../components/error-message.tsx';
import { useAction, useApi } from '../../lib/use-api.ts';

/** The learner transcript's status filter in words (the API's values). */
const STATUSES = [
  { value: 'all', label: 'All statuses' },
  { value: 'completed', label: 'Completed' },
  { value: 'in_progress', label: 'In progress' },
  { value: 'not_started', label: 'Not started' },
  { value: 'unenrolled', label: 'Unenrolled' },
] as const;

/**
 * Reports: run any report for a date range and download it as CSV; the learner transcript filtered by status,
 * the unified report made of the reports chosen here (the spec's chooser).
 */
export function ReportsPage() {
  const reports = useApi((signal) => api.get('/api/v1/reports', { signal }), []);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [status, setStatus] = useState<string>('all');
  const [include, setInclude] = useState<string[]>([]);
  const run = useAction(async (id: string, opts: { status?: boolean; include?: boolean }) => {
    const q: Record<string, string> = {};
    if (from) q.from = from;
    if (to) q.to = to;
    if (opts.status) q.status = status;
    if (opts.include) q.include = include.join(',');
    await download('/api/v1/reports/{report}', { report: id }, `${id}_${from || 'start'}_to_${to || 'now'}.csv`, q);
  });
  const parts = (reports.data ?? []).filter((r) => !r.combines);
  const toggle = (id: string, on: boolean) => setInclude((xs) => (on ? parts.map((p) => p.id).filter((p) => p === id || xs.includes(p)) : xs.filter((x) => x !== id)));
  return (
    <section aria-labelledby="reports-title">
      <h1 id="reports-title">Reports</h1>
      <div className="row">
        <label>From (inclusive)<input type="date" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
        <label>To (exclusive)<input type="date" value={to} onChange={(e) => setTo(e.target.value)} /></label>
      </div>
      <ErrorMessage error={run.error} />
      <LoadState loading={reports.loading && !reports.data} error={reports.error} />
      {reports.data ? (
        <div className="table-wrap" style={{ marginTop: '1rem' }}>
          <table>
            <thead><tr><th>Report</th><th>Description</th><th>Options</th><th><span className="visually-hidden">Download</span></th></tr></thead>
            <tbody>
              {reports.data.map((r) => (
                <tr key={r.id}>
                  <td>{r.title}</td>
                  <td>{r.description}<div className="muted">Dates apply to: {r.rangeOn}</div></td>
                  <td>
                    {r.statusFilter ? (
                      <label>
                        Status
                        <select value={status} onChange={(e) => setStatus(e.target.value)}>
                          {STATUSES.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
                        </select>
                      </label>
                    ) : null}
                    {r.combines ? (
                      <fieldset>
                        <legend>Reports to combine</legend>
                        {parts.map((p) => (
                          <label key={p.id} className="check">
                            <input type="checkbox" checked={include.includes(p.id)} onChange={(e) => toggle(p.id, e.target.checked)} />
                            {p.title}
                          </label>
                        ))}
                      </fieldset>
                    ) : null}
                  </td>
                  <td>
                    <button type="button" disabled={run.busy || (r.combines && include.length === 0)} onClick={() => void run.run(r.id, { status: r.statusFilter, include: r.combines })} aria-label={`Download CSV: ${r.title}`}>
                      Download CSV
                    </button>
                    {r.combines && include.length === 0 ? <div className="muted">Choose the reports to combine.</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
