import { ErrorMessage, LoadState } from '../../components/error-message.tsx';
import { Markdown } from '../../components/markdown.tsx';
import { Link } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import { useConnector } from './use-connector.ts';

/**
 * Getting Started: the admin's page for the connector (docs/getting-started/<id>.md, served at /docs/): what it
 * does, what to prepare, the steps with pictures. A connector without one gets its description and the Connect
 * button (the developer documentation in docs/connectors/ is not for this screen).
 */
export function GettingStartedPage({ connectorId }: { connectorId: string }) {
  const connector = useConnector(connectorId);
  const doc = useApi(async (signal) => {
    const res = await fetch(`/docs/getting-started/${encodeURIComponent(connectorId)}.md`, { signal });
    return res.ok ? res.text() : null;
  }, [connectorId]);
  const c = connector.data;
  return (
    <section aria-labelledby="gs-title">
      <p><Link to="/">← Connectors</Link></p>
      <h1 id="gs-title">Getting Started: {c?.displayName ?? connectorId}</h1>
      <p><Link to={`/connectors/${connectorId}/connect`} className="button primary">Connect</Link></p>
      <LoadState loading={doc.loading && !doc.data} />
      {doc.error ? <ErrorMessage error={doc.error} /> : null}
      {doc.data === null && c ? <p className="muted">No step-by-step guide for this connector yet: fill in the form on the Connect page; each field says what it needs.</p> : null}
      {doc.data ? <article className="card"><Markdown text={doc.data} /></article> : c ? <p>{c.description}</p> : null}
    </section>
  );
}
