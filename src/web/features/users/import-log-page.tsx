import { LoadState } from '../../components/error-message.tsx';
import { Link } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import { engineApi } from '../connections/engine-api.ts';
import { newestFirst, RunsTable, type RunRow } from '../connections/runs-table.tsx';

/**
 * Users > Import Log: every user import run of the account, newest first: the runs of the actions that declare
 * they are the user import (a file drop's CSV import, a vendor's users), whatever their ids.
 */
export function ImportLogPage() {
  const runs = useApi((signal) => engineApi.listRuns({ userImport: 'true', limit: 200 }, signal), [], 3000);
  const rows: RunRow[] = runs.data ?? [];
  return (
    <section aria-labelledby="il-title">
      <p><Link to="/users">← Users</Link></p>
      <h1 id="il-title">Users › Import Log</h1>
      <LoadState loading={runs.loading && !runs.data} error={runs.error} />
      {runs.data ? <RunsTable runs={newestFirst(rows)} onChanged={runs.reload} showConnection /> : null}
    </section>
  );
}
