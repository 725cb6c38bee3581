import { useState } from 'react';
import { api, download } from '../../api/client.ts';
import { ErrorMessage, LoadState } from '../../components/error-message.tsx';
import { useAction, useApi } from '../../lib/use-api.ts';

/** Reports: run any report for a date range and download it as CSV. */
export function ReportsPage() {
  const reports = useApi((signal) => api.get('/api/v1/reports', { signal }), []);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const run = useAction(async (id: string) => {
    const q = new URLSearchParams();
    if (from) q.set('from', from);
    if (to) q.set('to', to);
    await download(`/api/v1/reports/{report}${q.size ? `?${q}` : ''}`, { report: id }, `${id}_${from || 'start'}_to_${to || 'now'}.csv`);
  });
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
            <thead><tr><th>Report</th><th>Description</th><th>Range on</th><th></th></tr></thead>
            <tbody>
              {reports.data.map((r) => (
                <tr key={r.id}>
                  <td>{r.title}</td>
                  <td>{r.description}</td>
                  <td className="code">{r.rangeOn}</td>
                  <td><button type="button" disabled={run.busy} onClick={() => void run.run(r.id)} aria-label={`Download CSV: ${r.title}`}>Download CSV</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
