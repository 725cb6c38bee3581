import { useState } from 'react';
import { api } from '../../api/client.ts';
import { LoadState } from '../../components/error-message.tsx';
import { Pager, SearchBox } from '../../components/search-box.tsx';
import { Link } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';

const LIMIT = 50;

/** Users: search by email or name, filter by state, paged. */
export function UsersPage() {
  const [search, setSearch] = useState('');
  const [state, setState] = useState<'' | 'active' | 'suspended' | 'deleted'>('');
  const [offset, setOffset] = useState(0);
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
      {users.data ? (
        <>
          <div className="table-wrap">
            <table>
              <thead><tr><th>Name</th><th>Email</th><th>Manager</th><th>Type</th><th>State</th><th>Data source</th></tr></thead>
              <tbody>
                {users.data.items.map((u) => (
                  <tr key={u.id}>
                    <td>{u.name}</td>
                    <td>{u.email}</td>
                    <td>{u.managerEmail ?? '—'}</td>
                    <td>{u.userType}</td>
                    <td><span className={`badge ${u.state === 'active' ? 'ok' : 'failed'}`}>{u.state}</span></td>
                    <td>{u.dataSourceId ? <Link to={`/connections/${u.dataSourceId}/configure`}>#{u.dataSourceId}</Link> : '—'}</td>
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
