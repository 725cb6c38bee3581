import { api } from '../../api/client.ts';
import { LoadState } from '../../components/error-message.tsx';
import { initials, humanize } from '../../lib/format.ts';
import { Link } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';

// Each at least 4.5:1 against the white initials (WCAG AA).
const COLORS = ['#2d5bd7', '#0f7b6c', '#8e44ad', '#c0392b', '#a84300', '#117864', '#2c3e50', '#5f6a6b'];

function colorOf(id: string): string {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return COLORS[h % COLORS.length];
}

/** Connectors home: a tile per connector of the registry with Getting Started, Connect and Manage Connections. */
export function ConnectorsHome() {
  const connectors = useApi((signal) => api.get('/api/v1/connectors', { signal }), []);
  const connections = useApi((signal) => api.get('/api/v1/connections', { signal }), []);
  const list = connectors.data?.connectors ?? [];
  const countFor = (id: string) => (connections.data?.connections ?? []).filter((c) => c.connectorId === id).length;
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">Connectors</h1>
      <p className="muted">Connect the learning platform to your HR, CRM and identity systems and to file drops.</p>
      <LoadState loading={connectors.loading && !connectors.data} error={connectors.error} />
      <ul className="tiles">
        {list.map((c) => (
          <li key={c.id} className="card tile" aria-labelledby={`tile-${c.id}`}>
            <div className="head">
              <div className="logo" aria-hidden style={{ background: colorOf(c.id) }}>{initials(c.displayName ?? c.id)}</div>
              <div>
                <h2 id={`tile-${c.id}`}>{c.displayName ?? c.id}</h2>
                <span className="badge">{humanize(c.category ?? 'connector')}</span>
              </div>
            </div>
            <p>{c.description}</p>
            <div className="actions">
              <Link to={`/connectors/${c.id}/getting-started`} className="button" aria-label={`Getting Started with ${c.displayName}`}>Getting Started</Link>
              <Link to={`/connectors/${c.id}/connect`} className="button primary" aria-label={`Connect ${c.displayName}`}>Connect</Link>
              <Link to={`/connectors/${c.id}/connections`} className="button" aria-label={`Manage Connections of ${c.displayName}`}>
                Manage Connections{connections.data ? ` (${countFor(c.id)})` : ''}
              </Link>
            </div>
          </li>
        ))}
      </ul>
      {!connectors.loading && !connectors.error && list.length === 0 ? <p>No connectors are installed.</p> : null}
    </section>
  );
}
