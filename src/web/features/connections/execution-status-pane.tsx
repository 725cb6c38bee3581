import { LoadState } from '../../components/error-message.tsx';
import { listOf } from '../../lib/list.ts';
import { useApi } from '../../lib/use-api.ts';
import { ExportedFiles } from './exported-files.tsx';
import { engineApi } from './engine-api.ts';
import { ACTIVE, RunsTable, type RunRow } from './runs-table.tsx';
import type { ActionInfo } from './use-connection.ts';

/** Execution Status: this action's runs, polled every second while one is queued or running. */
export function ExecutionStatusPane({ connectionId, action, fileDrop }: { connectionId: number; action: ActionInfo; fileDrop?: boolean }) {
  const runs = useApi((signal) => engineApi.listRuns({ connectionId, actionId: action.id }, signal), [connectionId, action.id], 1000);
  const rows = listOf<RunRow>(runs.data).slice().sort((a, b) => a.id - b.id);
  const live = rows.some((r) => ACTIVE.includes(r.status));
  return (
    <div>
      <h2>Execution Status — {action.displayName}</h2>
      <p className="muted" aria-live="polite">{live ? 'A run is in progress; this view refreshes itself.' : `${rows.length} run(s).`}</p>
      <LoadState loading={runs.loading && !runs.data} error={runs.error} />
      {runs.data ? <RunsTable runs={rows} onChanged={runs.reload} /> : null}
      {action.kind === 'export' && fileDrop ? <ExportedFiles connectionId={connectionId} /> : null}
    </div>
  );
}
