import { useEffect, useId, useRef, type ReactNode } from 'react';

/** A modal confirmation (native <dialog>: focus is trapped and Escape cancels). */
export function ConfirmDialog(props: { open: boolean; title: string; children: ReactNode; confirmLabel: string; onConfirm(): void; onCancel(): void; danger?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  // Several dialogs may sit on one page (Approve and Reject): each names its own title.
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog ref={ref} aria-labelledby={titleId} onCancel={(e) => { e.preventDefault(); props.onCancel(); }}>
      <h2 id={titleId}>{props.title}</h2>
      <div>{props.children}</div>
      <div className="row end">
        <button type="button" onClick={props.onCancel}>Cancel</button>
        <button type="button" className={props.danger ? 'danger' : 'primary'} onClick={props.onConfirm}>{props.confirmLabel}</button>
      </div>
    </dialog>
  );
}
