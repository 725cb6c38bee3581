import { api } from '../../api/client.ts';
import { LoadState } from '../../components/error-message.tsx';
import { Link } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import { HealthCells } from '../connections/connection-health.tsx';

/** Settings > Data Sources: every connection of the account (a connection is a data source of users). */
export function DataSourcesPage() {
  const connections = useApi((signal) => api.get('/api/v1/connections', { signal }), []);
  const connectors = useApi((signal) => api.get('/api/v1/connectors', { signal }), []);
  const names = new Map((connectors.data?.connectors ?? []).map((c) => [c.id, c.displayName]));
  const actions = new Map((connectors.data?.connectors ?? []).flatMap((c) => c.actions.map((a) => [a.id, a.displayName] as const)));
  const actionName = (id: string) => actions.get(id) ?? 'An action no longer offered';
  const rows = connections.data?.connections ?? [];
  return (
    <section aria-labelledby="ds-title">
      <h1 id="ds-title">Settings › Data Sources</h1>
      <p className="muted">The connections that bring users and records into this account. Users imported by a data source are owned by it.</p>
      <LoadState loading={connections.loading && !connections.data} error={connections.error} />
      {connections.data ? (
        rows.length ? (
          <div className="table-wrap">
            <table>
              <thead><tr><th>Name</th><th>Connector</th><th>Enabled</th><th>Last run</th><th>Schedule</th></tr></thead>
              <tbody>
                {rows.map((c) => (
                  <tr key={c.id}>
                    <td><Link to={`/connections/${c.id}/configure`}>{c.name}</Link></td>
                    <td>{names.get(c.connectorId) ?? 'A connector no longer installed'}</td>
                    <td>{c.enabled === false ? 'No' : 'Yes'}</td>
                    <HealthCells connectionId={c.id} health={c.health} actionName={actionName} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : <p>No data source yet. <Link to="/">Connect one</Link>.</p>
      ) : null}
    </section>
  );
}
