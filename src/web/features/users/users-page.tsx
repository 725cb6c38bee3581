import { useState } from 'react';
import { api } from '../../api/client.ts';
import { ErrorMessage, LoadState } from '../../components/error-message.tsx';
import { Pager, SearchBox } from '../../components/search-box.tsx';
import { formatDate } from '../../lib/format.ts';
import { Link } from '../../lib/router.tsx';
import { useAction, useApi } from '../../lib/use-api.ts';
import { hasRole, useMe } from '../auth/use-me.ts';

const LIMIT = 50;

const ROLE_NAMES: Record<string, string> = { learner: 'Learner', manager: 'Manager', author: 'Author', admin: 'Administrator', integration_admin: 'Integration admin' };

/**
 * Users: search by email or name, filter by state, paged. Nobody sets another user's password: an
 * administrator creates a one-time reset link and passes it on (the button shows only to administrators, the
 * only ones the API lets create it).
 */
export function UsersPage() {
  const me = useMe();
  const mayReset = hasRole(me, 'admin');
  const [link, setLink] = useState<{ email: string; url: string; expiresAt: string }>();
  const reset = useAction(async (id: number) => {
    const r = await api.post('/api/v1/users/{id}/password-reset', { params: { id } });
    setLink({ email: r.email, url: new URL(r.link, location.origin).toString(), expiresAt: String(r.expiresAt) });
  });
  const [search, setSearch] = useState('');
  const [state, setState] = useState<'' | 'active' | 'suspended' | 'deleted'>('');
  const [offset, setOffset] = useState(0);
  // Data sources by id, to name the one that imported each user (never its id).
  const connections = useApi((signal) => api.get('/api/v1/connections', { signal }), []);
  const sources = new Map((connections.data?.connections ?? []).map((c) => [c.id, c.name]));
  const users = useApi(
    (signal) => api.get('/api/v1/users', { query: { search: search || undefined, state: state || undefined, limit: LIMIT, offset }, signal }),
    [search, state, offset],
  );
  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <p className="row"><Link to="/users/import-log">Import Log</Link> <Link to="/users/active-fields">Active fields</Link></p>
      <div className="row">
        <SearchBox label="Search users" onSearch={(v) => { setSearch(v); setOffset(0); }} />
        <label>
          State
          <select value={state} onChange={(e) => { setState(e.target.value as typeof state); setOffset(0); }}>
            <option value="">any</option>
            <option value="active">active</option>
            <option value="suspended">suspended</option>
            <option value="deleted">deleted</option>
          </select>
        </label>
      </div>
      <LoadState loading={users.loading && !users.data} error={users.error} />
      <ErrorMessage error={reset.error} />
      {link ? (
        <div className="ok-box" role="status">
          Give this one-time link to {link.email} to set a new password (valid until {formatDate(link.expiresAt)}; earlier links stop working):
          <div><a href={link.url} className="code" style={{ wordBreak: 'break-all' }}>{link.url}</a></div>
        </div>
      ) : null}
      {users.data ? (
        <>
          <div className="table-wrap">
            <table>
              <thead><tr><th>Name</th><th>Email</th><th>Manager</th><th>Type</th><th>Roles</th><th>State</th><th>Data source</th>{mayReset ? <th>Password</th> : null}</tr></thead>
              <tbody>
                {users.data.items.map((u) => (
                  <tr key={u.id}>
                    <td>{u.name}</td>
                    <td>{u.email}</td>
                    <td>{u.managerEmail ?? '—'}</td>
                    <td>{u.userType}</td>
                    <td>{u.roles.map((r) => ROLE_NAMES[r] ?? r).join(', ')}</td>
                    <td><span className={`badge ${u.state === 'active' ? 'ok' : 'failed'}`}>{u.state === 'active' ? 'Active' : u.state === 'suspended' ? 'Suspended' : 'Deleted'}</span></td>
                    <td>{u.dataSourceId ? <Link to={`/connections/${u.dataSourceId}/configure`}>{sources.get(u.dataSourceId) ?? 'Its data source'}</Link> : '—'}</td>
                    {mayReset ? (
                      <td>
                        {u.state === 'deleted' ? '—' : (
                          <button type="button" onClick={() => void reset.run(u.id)} disabled={reset.busy} aria-label={`Create a password reset link for ${u.email}`} style={{ whiteSpace: 'nowrap' }}>Reset link</button>
                        )}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {users.data.items.length === 0 ? <p>No user matches.</p> : null}
          <Pager offset={offset} limit={LIMIT} total={users.data.total} onOffset={setOffset} />
        </>
      ) : null}
    </section>
  );
}
