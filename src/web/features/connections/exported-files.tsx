import { api, download } from '../../api/client.ts';
import { ErrorMessage, LoadState } from '../../components/error-message.tsx';
import { formatDate } from '../../lib/format.ts';
import { useAction, useApi } from '../../lib/use-api.ts';

/** The files in the drop's export/ folder (what the export actions wrote), newest first, each downloadable. */
export function ExportedFiles({ connectionId }: { connectionId: number }) {
  const files = useApi((signal) => api.get('/api/v1/connections/{id}/exports', { params: { id: connectionId }, signal }), [connectionId], 5000);
  const get = useAction((path: string, name: string) => download('/api/v1/connections/{id}/exports/file', { id: connectionId }, name, { path }));
  return (
    <section aria-labelledby="exp-title" style={{ marginTop: '1rem' }}>
      <h3 id="exp-title">Exported files (the drop's export folder)</h3>
      <LoadState loading={files.loading && !files.data} error={files.error} />
      <ErrorMessage error={get.error} />
      {files.data ? (
        files.data.length ? (
          <div className="table-wrap">
            <table>
              <thead><tr><th>File</th><th>Size</th><th>Written</th><th><span className="visually-hidden">Download</span></th></tr></thead>
              <tbody>
                {files.data.map((f) => (
                  <tr key={f.path}>
                    <td className="code">{f.path}</td>
                    <td>{f.size.toLocaleString()} bytes</td>
                    <td>{formatDate(String(f.modifiedAt))}</td>
                    <td><button type="button" onClick={() => void get.run(f.path, f.name)} aria-label={`Download ${f.path}`}>Download</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : <p className="muted">No exported file yet.</p>
      ) : null}
    </section>
  );
}
