import { api } from '../../api/client.ts';
import { LoadState } from '../../components/error-message.tsx';
import { Link } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import { useConnector } from './use-connector.ts';
import { HealthCells } from '../connections/connection-health.tsx';

/** Manage Connections: the connections of one connector. */
export function ManageConnectionsPage({ connectorId }: { connectorId: string }) {
  const connector = useConnector(connectorId);
  const connections = useApi((signal) => api.get('/api/v1/connections', { query: { connectorId }, signal }), [connectorId]);
  const rows = (connections.data?.connections ?? []).filter((c) => c.connectorId === connectorId);
  const c = connector.data;
  const actionName = (id: string) => c?.actions.find((a) => a.id === id)?.displayName ?? 'An action no longer offered';
  return (
    <section aria-labelledby="mc-title">
      <p><Link to="/">← Connectors</Link></p>
      <h1 id="mc-title">{c?.displayName ?? connectorId}: connections</h1>
      <p><Link to={`/connectors/${connectorId}/connect`} className="button primary">New connection</Link></p>
      <LoadState loading={connections.loading && !connections.data} error={connections.error ?? connector.error} />
      {connections.data ? (
        rows.length ? (
          <div className="table-wrap">
            <table>
              <thead><tr><th>Name</th><th>Enabled</th><th>Last run</th><th>Schedule</th></tr></thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    <td><Link to={`/connections/${r.id}/configure`}>{r.name}</Link></td>
                    <td>{r.enabled === false ? 'No' : 'Yes'}</td>
                    <HealthCells connectionId={r.id} health={r.health} actionName={actionName} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : <p>No connection yet.</p>
      ) : null}
    </section>
  );
}
