import { ApiError, UnreachableError } from '../api/client.ts';

/** Asks every screen's loaders to load again (useApi listens). */
export const RETRY_EVENT = 'lmc:retry';
export function retryAll(): void {
  window.dispatchEvent(new Event(RETRY_EVENT));
}

/** The error in plain words: what happened and what to do; the API's own message when it explains the request. */
export function plainWords(error: Error): { text: string; retry: boolean } {
  if (error instanceof UnreachableError) return { text: 'The lmc server cannot be reached. Check your network connection, or wait a moment if the server is restarting, then try again.', retry: true };
  if (error instanceof ApiError) {
    if (error.status >= 500) return { text: 'Something went wrong on the server; nothing was changed by this request. Try again in a moment. If it happens again, give the code below to your support contact.', retry: true };
    if (error.status === 403) return { text: 'Your account is not allowed to do this.', retry: false };
    if (error.status === 404) return { text: `${sentence(error.message)} It may have been deleted.`, retry: false };
    return { text: sentence(error.message) + (error.field ? ` (${fieldWords(error.field)})` : ''), retry: error.status === 429 };
  }
  return { text: sentence(error.message || 'The request failed'), retry: false };
}

function sentence(s: string): string {
  const t = s.trim();
  return t ? t + (/[.!?)]$/.test(t) ? '' : '.') : t;
}

/** "settings.auth.clientSecret" → "field: auth › clientSecret": where, without code punctuation. */
function fieldWords(field: string): string {
  const parts = field.split('.').filter((p) => p !== 'settings' && p !== 'body');
  return parts.length ? `field: ${parts.join(' › ')}` : 'in the form';
}

/** An error in plain words, with the code for support (docs/errors.md lists them) and Try again where it may help. */
export function ErrorMessage({ error }: { error: Error | undefined | null }) {
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : undefined;
  const { text, retry } = plainWords(error);
  return (
    <div role="alert" className="error-box">
      <strong>{text}</strong>
      {code ? <div className="muted error-code">Code for support: <span className="code">{code}</span></div> : null}
      {retry ? <div><button type="button" onClick={retryAll}>Try again</button></div> : null}
    </div>
  );
}

/** What a screen shows while its first load runs, or when it failed. */
export function LoadState({ loading, error }: { loading: boolean; error?: Error }) {
  if (error) return <ErrorMessage error={error} />;
  if (loading) return <p className="muted" aria-live="polite">Loading…</p>;
  return null;
}
