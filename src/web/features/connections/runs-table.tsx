import { useState } from 'react';
import { ConfirmDialog } from '../../components/confirm.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { ProgressBar } from '../../components/progress-bar.tsx';
import { formatDate, formatDuration } from '../../lib/format.ts';
import { useAction } from '../../lib/use-api.ts';
import { RunDetails } from './run-details.tsx';
import { ApproveDialog } from './approve-dialog.tsx';
import { engineApi } from './engine-api.ts';

export const ACTIVE = ['queued', 'running'];
const COUNT_KINDS = ['read', 'created', 'updated', 'unchanged', 'skipped', 'rejected', 'suspended', 'deleted'] as const;
/** Shown only when some users were: most imports suspend and delete no one. */
const ONLY_WHEN_ANY = new Set<string>(['suspended', 'deleted']);
/** A run's status and trigger in words. */
export const STATUS_LABEL: Record<string, string> = {
  queued: 'Waiting to start', running: 'Running', completed: 'Completed', completed_with_errors: 'Completed with errors',
  needs_approval: 'Needs approval', failed: 'Failed', cancelled: 'Cancelled',
};
const TRIGGER_LABEL: Record<string, string> = { on_demand: 'On demand', schedule: 'Scheduled', rerun: 'Re-run' };
/** What a dry run would have done, in the conditional. */
const WOULD: Record<string, string> = { created: 'would create', updated: 'would update', unchanged: 'would leave unchanged', suspended: 'would suspend', deleted: 'would delete' };

/** The counts as an admin reads them: an export's rows written, a dry run's "would create 13". */
function countLabels(r: RunRow): Array<{ kind: string; text: string; bad?: boolean }> {
  const counts = r.counts ?? {};
  const rejected = counts.rejected ? [{ kind: 'rejected', text: `rejected ${counts.rejected}`, bad: true }] : [];
  if (r.type === 'export') return [{ kind: 'written', text: `${(counts.created ?? 0).toLocaleString()} ${counts.created === 1 ? 'row' : 'rows'} written` }, ...rejected];
  return COUNT_KINDS.filter((k) => counts[k] !== undefined && (counts[k] || !ONLY_WHEN_ANY.has(k))).map((k) => ({
    kind: k,
    text: r.dryRun && WOULD[k] ? `${WOULD[k]} ${counts[k]}` : `${k} ${counts[k]}`,
    bad: k === 'rejected' && Boolean(counts[k]),
  }));
}

/** Running and waiting runs first, then the newest. */
export function newestFirst(runs: RunRow[]): RunRow[] {
  return runs.slice().sort((a, b) => Number(ACTIVE.includes(b.status)) - Number(ACTIVE.includes(a.status)) || b.id - a.id);
}

/** A run as the API returns it (the fields the table reads). */
export interface RunRow {
  id: number;
  connectionId?: number;
  connectionName?: string | null;
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

/**
 * The runs as given (newestFirst: the running one on top): start, duration, how it started, status, counts in
 * words (a dry run's "would create", an export's rows written), a live progress bar while running; the files it
 * produced or exported, the processed files it deleted, its log; Re-run (latest run only), Cancel, Approve / Reject.
 * Every action that changes users asks first.
 */
export function RunsTable({ runs, onChanged, showConnection }: { runs: RunRow[]; onChanged(): void; showConnection?: boolean }) {
  const [confirmReject, setConfirmReject] = useState<number>();
  const [confirmApprove, setConfirmApprove] = useState<RunRow>();
  const [confirmRerun, setConfirmRerun] = useState<RunRow>();
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
        <table aria-label="Runs" className="cards-on-phone">
          <thead>
            <tr>
              <th>Started</th>
              {showConnection ? <th>Connection</th> : null}
              <th>Duration</th>
              <th>Run</th>
              <th>Status</th>
              <th>Counts</th>
              <th>Ran on</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r, index) => {
              const done = r.progress?.done ?? r.progressDone ?? 0;
              const total = r.progress?.total ?? r.progressTotal ?? null;
              const phase = r.progress?.phase ?? r.progressPhase;
              const counts = r.counts ?? {};
              const active = ACTIVE.includes(r.status);
              return (
                <tr key={r.id} data-run-id={r.id} data-status={r.status}>
                  <td data-label="Started">{formatDate(r.startedAt ?? r.queuedAt)}</td>
                  {showConnection ? <td data-label="Connection">{r.connectionName ?? 'A deleted connection'}</td> : null}
                  <td data-label="Duration">{r.startedAt ? formatDuration(r.startedAt, r.finishedAt) : '—'}</td>
                  <td data-label="Run">
                    {TRIGGER_LABEL[r.trigger ?? ''] ?? 'On demand'}
                    {r.dryRun ? <div><span className="badge">Preview (dry run)</span></div> : null}
                  </td>
                  <td data-label="Status">
                    <span className={`badge ${r.status}`}>{STATUS_LABEL[r.status] ?? r.status}</span>
                    {active ? <ProgressBar done={done} total={total} label={`Progress of the run started ${formatDate(r.startedAt ?? r.queuedAt)}`} /> : null}
                    {r.status === 'running' && phase ? <div className="muted">{phase}</div> : null}
                    {r.error ? <div className="muted">{r.error}</div> : null}
                    {r.note ? <div className="muted">{r.note}</div> : null}
                    {r.status === 'needs_approval' && r.approval?.reason ? <div className="muted">{r.approval.reason}</div> : null}
                  </td>
                  <td data-label="Counts">
                    <div className="counts">
                      {countLabels(r).map((c) => (
                        <span key={c.kind} className={`badge ${c.bad ? 'rejected' : ''}`} data-count={c.kind}>{c.text}</span>
                      ))}
                    </div>
                    <RunDetails runId={r.id} active={active} eager={index < 10} connectionId={r.connectionId} onError={(e) => void act.run(() => Promise.reject(e))} />
                  </td>
                  <td data-col="ran-on" data-label="Ran on">
                    {r.worker ? (
                      <>
                        {r.worker.host}
                        {r.worker.pid ? <div className="muted">process {r.worker.pid}</div> : null}
                      </>
                    ) : '—'}
                  </td>
                  <td data-label="Actions">
                    <div className="row">
                      {counts.rejected ? <button type="button" onClick={() => void act.run(() => engineApi.downloadErrors(r.id))}>Error report</button> : null}
                      {ACTIVE.includes(r.status) ? <button type="button" onClick={() => void act.run(() => engineApi.cancel(r.id))}>Cancel</button> : null}
                      {r.status === 'needs_approval' ? (
                        <>
                          <button type="button" className="primary" onClick={() => setConfirmApprove(r)}>Approve…</button>
                          <button type="button" onClick={() => setConfirmReject(r.id)}>Reject</button>
                        </>
                      ) : null}
                      {r.id === latestId && !ACTIVE.includes(r.status) && r.status !== 'needs_approval' ? (
                        <button type="button" onClick={() => setConfirmRerun(r)}>Re-run…</button>
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
        open={confirmRerun !== undefined}
        title={confirmRerun?.dryRun ? 'Run this dry run again?' : 'Run this again?'}
        confirmLabel="Re-run"
        onCancel={() => setConfirmRerun(undefined)}
        onConfirm={() => { const id = confirmRerun!.id; setConfirmRerun(undefined); void act.run(() => engineApi.rerun(id)); }}
      >
        <p>{confirmRerun?.dryRun ? 'The same period is read again; nothing is changed.' : 'The same period is read again with the current mapping and filters, and the changes are applied.'}</p>
      </ConfirmDialog>
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
