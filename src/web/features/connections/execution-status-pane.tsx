import { LoadState } from '../../components/error-message.tsx';
import { useEffect, useState } from 'react';
import { useApi } from '../../lib/use-api.ts';
import { ExportedFiles } from './exported-files.tsx';
import { engineApi } from './engine-api.ts';
import { ACTIVE, newestFirst, RunsTable, type RunRow } from './runs-table.tsx';
import type { ActionInfo } from './use-connection.ts';

/** Execution Status: this action's runs, the running one on top, then the newest; polled every second while one runs. */
export function ExecutionStatusPane({ connectionId, action, fileDrop }: { connectionId: number; action: ActionInfo; fileDrop?: boolean }) {
  // Every second while a run is queued or running (the live progress bar), else every 5 seconds.
  const [live, setLive] = useState(false);
  const runs = useApi((signal) => engineApi.listRuns({ connectionId, actionId: action.id }, signal), [connectionId, action.id], live ? 1000 : 5000);
  const rows: RunRow[] = newestFirst(runs.data ?? []);
  const nowLive = rows.some((r) => ACTIVE.includes(r.status));
  useEffect(() => setLive(nowLive), [nowLive]);
  return (
    <div>
      <h2>Execution Status — {action.displayName}</h2>
      {/* A count only from a real answer: a failed load says so, never "0 runs". */}
      {runs.data && !runs.error ? (
        <p className="muted" aria-live="polite">{live ? 'A run is in progress; this view refreshes itself.' : rows.length === 1 ? 'One run.' : `${rows.length} runs, newest first.`}</p>
      ) : null}
      <LoadState loading={runs.loading && !runs.data} error={runs.error} />
      {runs.data ? <RunsTable runs={rows} onChanged={runs.reload} /> : null}
      {action.kind === 'export' && fileDrop ? <ExportedFiles connectionId={connectionId} /> : null}
    </div>
  );
}
