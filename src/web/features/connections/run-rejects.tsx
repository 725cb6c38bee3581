import { api } from '../../api/client.ts';
import { useApi } from '../../lib/use-api.ts';

/**
 * The records a run refused, as its error report lists them (the file and line, or the vendor's record id,
 * the field and the reason): the first ones on the run's page, the Error report button for all of them.
 */
export function RunRejects({ runId, count }: { runId: number; count: number }) {
  const r = useApi((signal) => api.get('/api/v1/runs/{id}/rejects', { params: { id: runId }, query: { limit: 20 }, signal }), [runId, count]);
  const d = r.data;
  if (!d || !d.rejects.length) return null;
  return (
    <details open>
      <summary>Rejected records ({d.total.toLocaleString()})</summary>
      <table aria-label="Rejected records" className="rejects">
        <thead>
          <tr><th scope="col">Record</th><th scope="col">Field</th><th scope="col">Reason</th></tr>
        </thead>
        <tbody>
          {d.rejects.map((x, k) => (
            <tr key={k}>
              <td>{x.recordId ?? (x.line !== null ? `${x.source}, line ${x.line}` : x.source)}</td>
              <td>{x.field ?? ''}</td>
              <td>{x.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {d.total > d.rejects.length ? <p className="muted">The first {d.rejects.length} of {d.total.toLocaleString()}: the error report lists them all.</p> : null}
    </details>
  );
}
