import { ApiError } from '../api/client.ts';

/** An API error with its message and code (the code is what docs/errors.md lists). */
export function ErrorMessage({ error }: { error: Error | undefined | null }) {
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : undefined;
  return (
    <div role="alert" className="error-box">
      <strong>{error.message || 'The request failed'}</strong>
      {code ? <span className="code"> ({code})</span> : null}
      {error instanceof ApiError && error.field ? <div className="muted">field: {error.field}</div> : null}
    </div>
  );
}

/** What a screen shows while its first load runs, or when it failed. */
export function LoadState({ loading, error }: { loading: boolean; error?: Error }) {
  if (error) return <ErrorMessage error={error} />;
  if (loading) return <p className="muted" aria-live="polite">Loading…</p>;
  return null;
}
