import { LoadState } from '../../components/error-message.tsx';
import { Link, navigate } from '../../lib/router.tsx';
import { ConfigurePane } from './configure-pane.tsx';
import { MappingPane } from './mapping-pane.tsx';
import { FiltersPane } from './filters-pane.tsx';
import { SchedulePane } from './schedule-pane.tsx';
import { OnDemandPane } from './on-demand-pane.tsx';
import { ExecutionStatusPane } from './execution-status-pane.tsx';
import { actionsOf, useConnection } from './use-connection.ts';

const PANES = [
  { id: 'configure', label: 'Configure' },
  { id: 'mapping', label: 'Mapping' },
  { id: 'filters', label: 'Filters' },
  { id: 'schedule', label: 'Configure Schedule' },
  { id: 'on-demand', label: 'On Demand Execution' },
  { id: 'status', label: 'Execution Status' },
] as const;

/**
 * The connection page: the left pane chooses the action (Import Internal Users, Export ...) and the part
 * (Configure, Mapping, Filters, Schedule, On Demand, Execution Status); the right side shows it.
 */
export function ConnectionPage({ connectionId, pane, action }: { connectionId: number; pane: string; action?: string }) {
  const { connection, connector } = useConnection(connectionId);
  const conn = connection.data;
  const actions = actionsOf(connector.data);
  // The action asked for, else the one the connector declares is opened first (the user import), else the first.
  const current = actions.find((a) => a.id === action) ?? actions.find((a) => a.screens.opensFirst) ?? actions[0];
  const hrefFor = (p: string, a = current?.id) => `/connections/${connectionId}/${p}${a ? `?action=${encodeURIComponent(a)}` : ''}`;
  const label = PANES.find((p) => p.id === pane)?.label ?? pane;
  return (
    <section aria-labelledby="conn-title" data-title={conn ? `${label}${current && pane !== 'configure' ? ` — ${current.displayName}` : ''} · ${conn.name}` : undefined}>
      <p>
        <Link to="/">Connectors</Link>
        {conn ? <> › <Link to={`/connectors/${conn.connectorId}/connections`}>{connector.data?.displayName ?? conn.connectorId}</Link></> : null}
      </p>
      <h1 id="conn-title">{conn?.name ?? `Connection ${connectionId}`}</h1>
      <LoadState loading={connection.loading && !conn} error={connection.error ?? connector.error} />
      {conn ? (
        <div className="split">
          <nav className="left-pane card" aria-label="Connection">
            {actions.length > 0 ? (
              <label>
                Action
                <select value={current?.id} onChange={(e) => navigate(hrefFor(pane === 'configure' ? 'mapping' : pane, e.target.value))}>
                  {actions.map((a) => (
                    <option key={a.id} value={a.id}>{a.displayName}</option>
                  ))}
                </select>
              </label>
            ) : null}
            <ul>
              {PANES.map((p) => (
                <li key={p.id}>
                  <Link to={hrefFor(p.id)} aria-current={p.id === pane ? 'page' : undefined}>{p.label}</Link>
                </li>
              ))}
            </ul>
          </nav>
          <div className="pane" aria-label={label}>
            {pane === 'configure' ? <ConfigurePane connection={conn} connector={connector.data} onSaved={connection.reload} /> : null}
            {pane !== 'configure' && !current ? <p>This connector offers no actions yet.</p> : null}
            {pane === 'mapping' && current ? <MappingPane connectionId={connectionId} action={current} userSource={connector.data?.capabilities?.users?.label} /> : null}
            {pane === 'filters' && current ? <FiltersPane connectionId={connectionId} action={current} /> : null}
            {pane === 'schedule' && current ? <SchedulePane connectionId={connectionId} action={current} /> : null}
            {pane === 'on-demand' && current ? <OnDemandPane connectionId={connectionId} action={current} onStarted={() => navigate(hrefFor('status'))} /> : null}
            {pane === 'status' && current ? <ExecutionStatusPane connectionId={connectionId} action={current} fileDrop={Boolean(connector.data?.capabilities?.files)} /> : null}
            {!PANES.some((p) => p.id === pane) ? <p>Unknown part: {pane}</p> : null}
          </div>
        </div>
      ) : null}
    </section>
  );
}
