import { useState } from 'react';
import { api } from '../../api/client.ts';
import { LoadState } from '../../components/error-message.tsx';
import { Pager, SearchBox } from '../../components/search-box.tsx';
import { humanize } from '../../lib/format.ts';
import { useApi } from '../../lib/use-api.ts';

const LIMIT = 50;

/** Trainings: courses, learning paths and certifications, searchable. */
export function TrainingsPage() {
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const trainings = useApi((signal) => api.get('/api/v1/trainings', { query: { search: search || undefined, limit: LIMIT, offset }, signal }), [search, offset]);
  const d = trainings.data;
  const rows = d?.items ?? [];
  return (
    <section aria-labelledby="trainings-title">
      <h1 id="trainings-title">Trainings</h1>
      <SearchBox label="Search trainings" onSearch={(v) => { setSearch(v); setOffset(0); }} />
      <LoadState loading={trainings.loading && !d} error={trainings.error} />
      {d ? (
        <>
          <div className="table-wrap">
            <table>
              <thead><tr><th>Name</th><th>LO id</th><th>Type</th><th>State</th><th>Duration</th></tr></thead>
              <tbody>
                {rows.map((t) => (
                  <tr key={t.id}>
                    <td>{t.name}</td>
                    <td className="code">{t.loId}</td>
                    <td>{humanize(t.type ?? '')}</td>
                    <td>{t.state}</td>
                    <td>{t.durationMinutes ? `${t.durationMinutes} min` : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {rows.length === 0 ? <p>No training matches.</p> : null}
          <Pager offset={offset} limit={LIMIT} total={d.total} onOffset={setOffset} />
        </>
      ) : null}
    </section>
  );
}
