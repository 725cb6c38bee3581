import { api } from '../../api/client.ts';
import { useApi } from '../../lib/use-api.ts';

/** A connection and its connector (for the action list and the settings schema). */
export function useConnection(id: number) {
  const connection = useApi((signal) => api.get('/api/v1/connections/{id}', { params: { id }, signal }), [id]);
  const connectorId: string | undefined = (connection.data as any)?.connectorId;
  const connector = useApi(
    async (signal) => (connectorId ? api.get('/api/v1/connectors/{id}', { params: { id: connectorId }, signal }) : undefined),
    [connectorId],
  );
  return { connection, connector };
}

export interface ActionInfo {
  id: string;
  displayName: string;
  kind: 'import' | 'export';
  description?: string;
  scheduleUnits?: Array<'days' | 'hours'>;
  windowed?: boolean;
  supportsDryRun?: boolean;
  optionsSchema?: any;
}

export function actionsOf(connector: any): ActionInfo[] {
  return (connector?.actions ?? []) as ActionInfo[];
}
