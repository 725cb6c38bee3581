import { useEffect, useState } from 'react';

/** A labelled search input that reports its value after a short pause in typing. */
export function SearchBox({ label, onSearch, initial = '' }: { label: string; onSearch(v: string): void; initial?: string }) {
  const [v, setV] = useState(initial);
  useEffect(() => {
    const t = setTimeout(() => onSearch(v.trim()), 250);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [v]);
  return (
    <label className="search">
      {label}
      <input type="search" value={v} onChange={(e) => setV(e.target.value)} />
    </label>
  );
}

/** Previous / next paging for limit/offset lists. */
export function Pager({ offset, limit, total, onOffset }: { offset: number; limit: number; total: number; onOffset(o: number): void }) {
  if (total <= limit) return <p className="muted">{total} in all</p>;
  return (
    <div className="row" role="navigation" aria-label="Pages">
      <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>Previous</button>
      <span className="muted">{offset + 1}–{Math.min(total, offset + limit)} of {total}</span>
      <button type="button" disabled={offset + limit >= total} onClick={() => onOffset(offset + limit)}>Next</button>
    </div>
  );
}
