import { api } from '../../api/client.ts';
import { LoadState } from '../../components/error-message.tsx';
import { formatDate } from '../../lib/format.ts';
import { Link } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';

/** Notifications: one entry per finished run (and other engine events), newest first. */
export function NotificationsPage() {
  const n = useApi((signal) => api.get('/api/v1/notifications', { signal }), [], 10_000);
  const rows = n.data?.notifications ?? [];
  return (
    <section aria-labelledby="n-title">
      <h1 id="n-title">Notifications</h1>
      <LoadState loading={n.loading && !n.data} error={n.error} />
      {n.data ? (
        rows.length ? (
          <ul className="stack" style={{ listStyle: 'none', padding: 0, maxWidth: 'none' }}>
            {rows.map((x) => (
              <li key={x.id} className="card">
                <strong>{x.title}</strong> <span className="muted">{formatDate(String(x.createdAt))}</span>
                {x.body ? <p>{x.body}</p> : null}
                {x.runId && x.connectionId && x.actionId ? (
                  <Link to={`/connections/${x.connectionId}/status?action=${encodeURIComponent(x.actionId)}`}>Open the run in Execution Status</Link>
                ) : null}
              </li>
            ))}
          </ul>
        ) : <p>No notifications.</p>
      ) : null}
    </section>
  );
}
