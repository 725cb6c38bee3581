import { api } from '../../api/client.ts';
import type { Connector, ConnectorAction } from '../../api/types.ts';
import { useApi } from '../../lib/use-api.ts';

/** A connection and its connector (for the action list and the settings schema). */
export function useConnection(id: number) {
  const connection = useApi((signal) => api.get('/api/v1/connections/{id}', { params: { id }, signal }), [id]);
  const connectorId = connection.data?.connectorId;
  const connector = useApi(
    async (signal) => (connectorId ? api.get('/api/v1/connectors/{id}', { params: { id: connectorId }, signal }) : undefined),
    [connectorId],
  );
  return { connection, connector };
}

export type ActionInfo = ConnectorAction;
/** The shared editors an action may declare for its Mapping and Filters pages. */
export type ActionEditor = NonNullable<ConnectorAction['screens']['mapping']>;

export function actionsOf(connector: Connector | undefined): ActionInfo[] {
  return connector?.actions ?? [];
}
