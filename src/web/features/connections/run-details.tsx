import { useState } from 'react';
import { api, download } from '../../api/client.ts';
import { formatDate } from '../../lib/format.ts';
import { useApi } from '../../lib/use-api.ts';
import { engineApi } from './engine-api.ts';
import { RunRejects } from './run-rejects.tsx';

/** What a run's log says it wrote or removed (the pipelines log `path` for a written file, `files` for deleted ones). */
export function runOutputs(log: Array<{ message: string; data: Record<string, unknown> | null }>) {
  const written: string[] = [];
  const deleted: string[] = [];
  for (const e of log) {
    if (typeof e.data?.path === 'string' && /^exported |^wrote /.test(e.message)) written.push(e.data.path);
    if (Array.isArray(e.data?.files) && /^deleted /.test(e.message)) deleted.push(...(e.data.files as unknown[]).map(String));
  }
  return { written, deleted };
}

const LEVEL: Record<string, string> = { info: 'Info', warn: 'Warning', error: 'Error', debug: 'Detail' };

/**
 * Below a run's counts: the files it produced (a dry run's change set), the files it exported (downloadable from
 * the drop), the processed files it deleted, and its log (refreshed while it runs).
 */
export function RunDetails(props: { runId: number; active: boolean; connectionId?: number; eager: boolean; onError(e: Error): void }) {
  // Long lists (the Import Log) load a run's details when asked: one request per row would be too many.
  const [open, setOpen] = useState(false);
  if (props.eager || open) return <LoadedRunDetails {...props} />;
  return (
    <details onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>Files and log</summary>
    </details>
  );
}

function LoadedRunDetails({ runId, active, connectionId, onError }: { runId: number; active: boolean; connectionId?: number; onError(e: Error): void }) {
  const detail = useApi((signal) => api.get('/api/v1/runs/{id}', { params: { id: runId }, signal }), [runId, active], active ? 2000 : false); // loaded again when the run ends: its last log lines and files
  const d = detail.data;
  if (!d) return null;
  const { written, deleted } = runOutputs(d.log);
  const name = (p: string) => p.split('/').pop() ?? p;
  return (
    <div className="stack run-details">
      {d.files.length || written.length ? (
        <div className="row">
          {d.files.map((f) => (
            <button key={f.name} type="button" onClick={() => engineApi.downloadFile(runId, f.name).catch(onError)}>Download {f.name}</button>
          ))}
          {connectionId !== undefined ? written.map((p) => (
            <button key={p} type="button" onClick={() => download('/api/v1/connections/{id}/exports/file', { id: connectionId }, name(p), { path: p }).catch(onError)}>Download {name(p)}</button>
          )) : null}
        </div>
      ) : null}
      {d.counts.rejected && !active ? <RunRejects runId={runId} count={d.counts.rejected} /> : null}
      {deleted.length ? <p className="muted" data-testid="deleted-files">Processed files deleted from the drop: {deleted.join(', ')}</p> : null}
      {d.log.length ? (
        <details>
          <summary>Log ({d.log.length} {d.log.length === 1 ? 'entry' : 'entries'})</summary>
          <ol className="run-log" aria-label="Run log">
            {d.log.map((e) => (
              <li key={e.seq} className={e.level === 'error' ? 'error' : e.level === 'warn' ? 'warn' : undefined}>
                <span className="muted">{formatDate(String(e.at))}</span> {LEVEL[e.level] ?? e.level}: {e.message}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </div>
  );
}
