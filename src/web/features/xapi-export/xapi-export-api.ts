import { api, type GetResult } from '../../api/client.ts';

export type XapiExportConfig = GetResult<'/api/v1/xapi-export/configurations/{id}'>;
export type XapiExportColumn = XapiExportConfig['columns'][number];
export type XapiColumnType = XapiExportColumn['type'];
export const COLUMN_TYPES: XapiColumnType[] = ['string', 'number', 'boolean', 'date'];

/** The xAPI export endpoints the screens use. */
export const xapiExportApi = {
  list: (signal?: AbortSignal) => api.get('/api/v1/xapi-export/configurations', { signal }),
  create: (body: { name: string; columns: XapiExportColumn[] }) => api.post('/api/v1/xapi-export/configurations', { body }),
  update: (id: number, body: { name: string; columns: XapiExportColumn[] }) => api.put('/api/v1/xapi-export/configurations/{id}', { params: { id }, body }),
  remove: (id: number) => api.delete('/api/v1/xapi-export/configurations/{id}', { params: { id } }),
  preview: (columns: XapiExportColumn[], from?: string) => api.post('/api/v1/xapi-export/preview', { body: { columns, from, limit: 10 } }),
};
