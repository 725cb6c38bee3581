/** A labelled progress bar; without a total it shows the count only (indeterminate). */
export function ProgressBar({ done, total, label }: { done: number; total?: number | null; label: string }) {
  const pct = total ? Math.min(100, Math.round((done / total) * 100)) : undefined;
  return (
    <div className="progress">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total ?? undefined}
        aria-valuenow={total ? done : undefined}
        className="progress-track"
      >
        <div className={pct === undefined ? 'progress-fill indeterminate' : 'progress-fill'} style={{ width: pct === undefined ? '30%' : `${pct}%` }} />
      </div>
      <span className="progress-text">{total ? `${done} / ${total} (${pct}%)` : `${done}`}</span>
    </div>
  );
}
