import { api } from '../../api/client.ts';
import { LoadState } from '../../components/error-message.tsx';
import { formatDate } from '../../lib/format.ts';
import { useApi } from '../../lib/use-api.ts';

/** The files in the drop's export/ folder (what the export actions wrote), newest first. */
export function ExportedFiles({ connectionId }: { connectionId: number }) {
  const files = useApi((signal) => api.get('/api/v1/connections/{id}/exports', { params: { id: connectionId }, signal }), [connectionId], 5000);
  return (
    <section aria-labelledby="exp-title" style={{ marginTop: '1rem' }}>
      <h3 id="exp-title">Exported files (the drop's export folder)</h3>
      <LoadState loading={files.loading && !files.data} error={files.error} />
      {files.data ? (
        files.data.length ? (
          <div className="table-wrap">
            <table>
              <thead><tr><th>File</th><th>Size</th><th>Written</th></tr></thead>
              <tbody>
                {files.data.map((f) => (
                  <tr key={f.path}><td className="code">{f.path}</td><td>{f.size.toLocaleString()} bytes</td><td>{formatDate(String(f.modifiedAt))}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : <p className="muted">No exported file yet.</p>
      ) : null}
    </section>
  );
}
