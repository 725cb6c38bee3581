import { useState, type FormEvent } from 'react';
import { ConfirmDialog } from '../../components/confirm.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { useAction, useApi } from '../../lib/use-api.ts';
import { engineApi } from './engine-api.ts';
import type { ActionInfo } from './use-connection.ts';

/** On Demand Execution: from a start date until now (or an end date); dry run; disable access during execution. */
export function OnDemandPane({ connectionId, action, onStarted }: { connectionId: number; action: ActionInfo; onStarted(): void }) {
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [dryRun, setDryRun] = useState(false);
  const [disableAccess, setDisableAccess] = useState(false);
  const [confirm, setConfirm] = useState(false);
  // An import set to suspend or delete the users missing from its files asks before a real run.
  const options = useApi((signal) => engineApi.getOptions(connectionId, action.id, signal), [connectionId, action.id]);
  const absent = (options.data?.options as { absentUsers?: string } | undefined)?.absentUsers;
  const destructive = !dryRun && (absent === 'suspend' || absent === 'delete');
  const start = useAction(async () => {
    await engineApi.startRun(connectionId, action.id, {
      since: since ? new Date(`${since}T00:00:00`).toISOString() : undefined,
      until: until ? new Date(`${until}T23:59:59`).toISOString() : undefined,
      dryRun: dryRun || undefined,
      disableAccess: disableAccess || undefined,
    });
    onStarted();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (destructive) setConfirm(true);
    else void start.run();
  };
  return (
    <div>
      <h2>On Demand Execution — {action.displayName}</h2>
      {action.description ? <p className="muted">{action.description}</p> : null}
      <form className="stack card" onSubmit={submit}>
        <div className="row">
          <label>
            Start date{action.windowed ? '' : ' (optional)'}
            <input type="date" value={since} required={Boolean(action.windowed)} onChange={(e) => setSince(e.target.value)} />
          </label>
          <label>
            End date (optional; empty means until now)
            <input type="date" value={until} onChange={(e) => setUntil(e.target.value)} />
          </label>
        </div>
        {action.supportsDryRun ? (
          <label className="check">
            <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} />
            Dry run (compute the change set, change nothing)
          </label>
        ) : null}
        <label className="check">
          <input type="checkbox" checked={disableAccess} onChange={(e) => setDisableAccess(e.target.checked)} />
          Disable access during execution (learners get "under maintenance" while it runs)
        </label>
        <ErrorMessage error={start.error} />
        <div className="row">
          <button type="submit" className="primary" disabled={start.busy}>{dryRun ? 'Start dry run' : 'Run now'}</button>
        </div>
      </form>
      <ConfirmDialog
        open={confirm}
        title={`Run now and ${absent === 'delete' ? 'delete' : 'suspend'} missing users?`}
        confirmLabel={absent === 'delete' ? 'Run and delete' : 'Run and suspend'}
        danger
        onCancel={() => setConfirm(false)}
        onConfirm={() => { setConfirm(false); void start.run(); }}
      >
        <p>Users of this source who are not in the files will be {absent === 'delete' ? 'deleted' : 'suspended'}. If that is more than the approval limit, the run waits for your approval first.</p>
        <p className="muted">A dry run shows the changes without applying them.</p>
      </ConfirmDialog>
    </div>
  );
}
