import { ConfirmDialog } from '../../components/confirm.tsx';
import type { RunRow } from './runs-table.tsx';

/** What a user import waiting for approval says of itself (approval.summary). */
interface ApprovalSummary {
  action?: 'suspend' | 'delete';
  users?: number;
  affected?: string[];
}

/**
 * Asks before a run waiting for approval applies: why it waits, the users it would suspend or delete (the
 * first ones; the change set lists every change) and a download of the change set.
 */
export function ApproveDialog({ run, onApprove, onCancel, onDownload }: { run: RunRow | undefined; onApprove(): void; onCancel(): void; onDownload(): void }) {
  const s = (run?.approval?.summary ?? {}) as ApprovalSummary;
  const affected = s.affected ?? [];
  const verb = s.action === 'delete' ? 'deleted' : 'suspended';
  const more = (s.users ?? affected.length) - affected.length;
  return (
    <ConfirmDialog open={run !== undefined} title="Approve this import?" confirmLabel="Approve and apply" danger onCancel={onCancel} onConfirm={onApprove}>
      {run?.approval?.reason ? <p>This {reason(run.approval.reason)}.</p> : null}
      {affected.length ? (
        <>
          <p>Users who would be {verb}:</p>
          <ul aria-label={`Users who would be ${verb}`} className="affected-users">
            {affected.map((e) => <li key={e}>{e}</li>)}
          </ul>
          {more > 0 ? <p>and {more} more.</p> : null}
        </>
      ) : null}
      <p>
        <button type="button" onClick={onDownload}>Download the full list of changes (CSV)</button>
      </p>
      <p className="muted">Approving applies every change at once. It cannot be undone.</p>
    </ConfirmDialog>
  );
}

/** "this import would suspend ..." without its first word, to read after "This". */
function reason(text: string): string {
  return text.replace(/^this /i, '');
}
