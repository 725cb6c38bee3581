import { api, type GetResult } from '../../api/client.ts';

export type XapiImportConfig = GetResult<'/api/v1/connections/{id}/xapi-import/configurations/{configId}'>;
export type XapiImportMapping = XapiImportConfig['mappings'][number];
export type XapiImportFilter = XapiImportConfig['filters'][number];
export type XapiImportCondition = XapiImportFilter['conditions'][number];
export const MAPPING_TYPES: XapiImportMapping['type'][] = ['string', 'number', 'boolean', 'date'];
export const FILTER_OPS: Array<{ op: XapiImportCondition['op']; label: string }> = [
  { op: 'equals', label: 'equals' },
  { op: 'not_equals', label: 'not equals' },
  { op: 'contains', label: 'contains' },
  { op: 'gt', label: 'greater than' },
  { op: 'lt', label: 'less than' },
  { op: 'is_empty', label: 'is empty' },
  { op: 'is_not_empty', label: 'is not empty' },
];
export const REQUIRED_PATHS = ['actor.mbox', 'verb.id', 'object.id'];

type Body = Partial<Pick<XapiImportConfig, 'name' | 'sourceFileName' | 'dateFormat' | 'timeZone' | 'filters' | 'mappings'>>;

/** The Import xAPI endpoints of a connection that the panes use. */
export const xapiImportApi = {
  list: (id: number, signal?: AbortSignal) => api.get('/api/v1/connections/{id}/xapi-import/configurations', { params: { id }, signal }),
  create: (id: number, body: { name: string; sourceFileName: string }) => api.post('/api/v1/connections/{id}/xapi-import/configurations', { params: { id }, body }),
  update: (id: number, configId: string, body: Body) => api.put('/api/v1/connections/{id}/xapi-import/configurations/{configId}', { params: { id, configId }, body: body as never }),
  remove: (id: number, configId: string) => api.delete('/api/v1/connections/{id}/xapi-import/configurations/{configId}', { params: { id, configId } }),
  columns: (id: number, sourceFileName: string, signal?: AbortSignal) => api.get('/api/v1/connections/{id}/xapi-import/columns', { params: { id }, query: { sourceFileName }, signal }),
  preview: (id: number, configurationId: string) => api.post('/api/v1/connections/{id}/xapi-import/preview', { params: { id }, body: { configurationId, limit: 5 } }),
};
