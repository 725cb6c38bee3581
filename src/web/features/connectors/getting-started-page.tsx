import { ErrorMessage, LoadState } from '../../components/error-message.tsx';
import { Markdown } from '../../components/markdown.tsx';
import { Link } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import { useConnector } from './use-connector.ts';

/** Getting Started: the connector's documentation page (docs/connectors/<id>.md, served at /docs/). */
export function GettingStartedPage({ connectorId }: { connectorId: string }) {
  const connector = useConnector(connectorId);
  const doc = useApi(async (signal) => {
    const res = await fetch(`/docs/connectors/${encodeURIComponent(connectorId)}.md`, { signal });
    if (!res.ok) throw new Error(`No documentation page for ${connectorId} yet (docs/connectors/${connectorId}.md).`);
    return res.text();
  }, [connectorId]);
  const c = connector.data;
  return (
    <section aria-labelledby="gs-title">
      <p><Link to="/">← Connectors</Link></p>
      <h1 id="gs-title">Getting Started: {c?.displayName ?? connectorId}</h1>
      <p><Link to={`/connectors/${connectorId}/connect`} className="button primary">Connect</Link></p>
      <LoadState loading={doc.loading && !doc.data} />
      {doc.error ? <ErrorMessage error={doc.error} /> : null}
      {doc.data ? <article className="card"><Markdown text={doc.data} /></article> : c ? <p>{c.description}</p> : null}
    </section>
  );
}
