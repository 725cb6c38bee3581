import { api } from '../../api/client.ts';
import type { Connector } from '../../api/types.ts';
import type { JsonSchema } from '../../components/schema-form.tsx';
import { useApi } from '../../lib/use-api.ts';

/** One connector from the registry, with the JSON schema of its settings. */
export function useConnector(id: string) {
  return useApi((signal) => api.get('/api/v1/connectors/{id}', { params: { id }, signal }), [id]);
}

/** The settings schema of a connector answer (named settingsSchema or settings). */
export function settingsSchemaOf(c: Connector | undefined): JsonSchema {
  return (c?.settingsSchema ?? { type: 'object', properties: {} }) as JsonSchema;
}
