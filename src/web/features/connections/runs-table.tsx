import { useState } from 'react';
import { ConfirmDialog } from '../../components/confirm.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { ProgressBar } from '../../components/progress-bar.tsx';
import { formatDate, formatDuration, humanize } from '../../lib/format.ts';
import { api } from '../../api/client.ts';
import { useAction, useApi } from '../../lib/use-api.ts';
import { ApproveDialog } from './approve-dialog.tsx';
import { engineApi } from './engine-api.ts';

export const ACTIVE = ['queued', 'running'];
const COUNT_KINDS = ['read', 'created', 'updated', 'unchanged', 'skipped', 'rejected', 'suspended', 'deleted'] as const;
/** Shown only when some users were: most imports suspend and delete no one. */
const ONLY_WHEN_ANY = new Set<string>(['suspended', 'deleted']);

/** A run as the API returns it (the fields the table reads). */
export interface RunRow {
  id: number;
  connectionId?: number;
  connectionName?: string;
  actionId?: string;
  type?: string;
  trigger?: string;
  status: string;
  dryRun?: boolean;
  counts?: Partial<Record<(typeof COUNT_KINDS)[number], number>>;
  progressDone?: number;
  progressTotal?: number | null;
  progressPhase?: string | null;
  progress?: { done: number; total?: number | null; phase?: string | null };
  queuedAt?: string;
  startedAt?: string | null;
  finishedAt?: string | null;
  error?: string | null;
  note?: string | null;
  approval?: { reason: string; summary?: Record<string, unknown> } | null;
  worker?: { host: string; pid: number | null } | null;
}

/** The files a finished run produced (a dry run's change set, an export), read from the run's detail. */
function RunFiles({ runId, onError }: { runId: number; onError(e: Error): void }) {
  const detail = useApi((signal) => api.get('/api/v1/runs/{id}', { params: { id: runId }, signal }), [runId]);
  const files = detail.data?.files ?? [];
  return (
    <>
      {files.map((f) => (
        <button key={f.name} type="button" onClick={() => engineApi.downloadFile(runId, f.name).catch(onError)}>
          Download {f.name}
        </button>
      ))}
    </>
  );
}

/**
 * The runs, oldest first as the spec's Execution Status lists them: start, duration, type, status, counts,
 * a live progress bar while running; downloads; Re-run (latest run only), Cancel, Approve / Reject.
 */
export function RunsTable({ runs, onChanged, showConnection }: { runs: RunRow[]; onChanged(): void; showConnection?: boolean }) {
  const [confirmReject, setConfirmReject] = useState<number>();
  const [confirmApprove, setConfirmApprove] = useState<RunRow>();
  const act = useAction(async (fn: () => Promise<unknown>) => {
    await fn();
    onChanged();
  });
  const latestId = runs.reduce((m, r) => Math.max(m, r.id), 0);
  if (runs.length === 0) return <p>No runs yet.</p>;
  return (
    <>
      <ErrorMessage error={act.error} />
      <div className="table-wrap">
        <table aria-label="Runs">
          <thead>
            <tr>
              <th>Run</th>
              {showConnection ? <th>Connection</th> : null}
              <th>Started</th>
              <th>Duration</th>
              <th>Type</th>
              <th>Status</th>
              <th>Counts</th>
              <th>Ran on</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => {
              const done = r.progress?.done ?? r.progressDone ?? 0;
              const total = r.progress?.total ?? r.progressTotal ?? null;
              const phase = r.progress?.phase ?? r.progressPhase;
              const counts = r.counts ?? {};
              return (
                <tr key={r.id} data-run-id={r.id} data-status={r.status}>
                  <td>#{r.id}{r.dryRun ? <div><span className="badge">dry run</span></div> : null}</td>
                  {showConnection ? <td>{r.connectionName ?? r.connectionId}</td> : null}
                  <td>{formatDate(r.startedAt ?? r.queuedAt)}</td>
                  <td>{r.startedAt ? formatDuration(r.startedAt, r.finishedAt) : '—'}</td>
                  <td>{humanize(r.trigger ?? r.type ?? '')}</td>
                  <td>
                    <span className={`badge ${r.status}`}>{humanize(r.status)}</span>
                    {r.status === 'running' ? <ProgressBar done={done} total={total} label={`Progress of run ${r.id}`} /> : null}
                    {r.status === 'running' && phase ? <div className="muted">{phase}</div> : null}
                    {r.error ? <div className="muted">{r.error}</div> : null}
                    {r.note ? <div className="muted">{r.note}</div> : null}
                    {r.status === 'needs_approval' && r.approval?.reason ? <div className="muted">{r.approval.reason}</div> : null}
                  </td>
                  <td>
                    <div className="counts">
                      {COUNT_KINDS.filter((k) => counts[k] !== undefined && (counts[k] || !ONLY_WHEN_ANY.has(k))).map((k) => (
                        <span key={k} className={`badge ${k === 'rejected' && counts[k] ? 'rejected' : ''}`} data-count={k}>{k} {counts[k]}</span>
                      ))}
                    </div>
                  </td>
                  <td data-col="ran-on">
                    {r.worker ? (
                      <>
                        {r.worker.host}
                        {r.worker.pid ? <div className="muted">process {r.worker.pid}</div> : null}
                      </>
                    ) : '—'}
                  </td>
                  <td>
                    <div className="row">
                      {counts.rejected ? <button type="button" onClick={() => void act.run(() => engineApi.downloadErrors(r.id))}>Error report</button> : null}
                      {!ACTIVE.includes(r.status) ? <RunFiles runId={r.id} onError={(e) => void act.run(() => Promise.reject(e))} /> : null}
                      {ACTIVE.includes(r.status) ? <button type="button" onClick={() => void act.run(() => engineApi.cancel(r.id))}>Cancel</button> : null}
                      {r.status === 'needs_approval' ? (
                        <>
                          <button type="button" className="primary" onClick={() => setConfirmApprove(r)}>Approve…</button>
                          <button type="button" onClick={() => setConfirmReject(r.id)}>Reject</button>
                        </>
                      ) : null}
                      {r.id === latestId && !ACTIVE.includes(r.status) && r.status !== 'needs_approval' ? (
                        <button type="button" onClick={() => void act.run(() => engineApi.rerun(r.id))}>Re-run</button>
                      ) : null}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <ApproveDialog
        run={confirmApprove}
        onCancel={() => setConfirmApprove(undefined)}
        onDownload={() => { const id = confirmApprove!.id; void act.run(() => engineApi.downloadFile(id, 'change-set.csv')); }}
        onApprove={() => { const id = confirmApprove!.id; setConfirmApprove(undefined); void act.run(() => engineApi.approve(id)); }}
      />
      <ConfirmDialog
        open={confirmReject !== undefined}
        title="Reject this run?"
        confirmLabel="Reject"
        danger
        onCancel={() => setConfirmReject(undefined)}
        onConfirm={() => { const id = confirmReject!; setConfirmReject(undefined); void act.run(() => engineApi.reject(id)); }}
      >
        <p>Nothing of this run is applied.</p>
      </ConfirmDialog>
    </>
  );
}
