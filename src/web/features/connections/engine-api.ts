import { api, download } from '../../api/client.ts';

/**
 * The engine's connection endpoints the panes use, in one place: action settings, schedules, runs.
 */
export const engineApi = {
  getOptions: (connectionId: number, actionId: string, signal?: AbortSignal) =>
    api.get('/api/v1/connections/{id}/actions/{actionId}/settings', { params: { id: connectionId, actionId }, signal }),
  putOptions: (connectionId: number, actionId: string, options: Record<string, unknown>) =>
    api.put('/api/v1/connections/{id}/actions/{actionId}/settings', { params: { id: connectionId, actionId }, body: { options } }),
  getSchedule: (connectionId: number, actionId: string, signal?: AbortSignal) =>
    api.get('/api/v1/connections/{id}/actions/{actionId}/schedule', { params: { id: connectionId, actionId }, signal }),
  putSchedule: (connectionId: number, actionId: string, body: { enabled: boolean; startLocal: string; timeZone: string; every: number; unit: 'days' | 'hours' }) =>
    api.put('/api/v1/connections/{id}/actions/{actionId}/schedule', { params: { id: connectionId, actionId }, body }),
  startRun: (connectionId: number, actionId: string, body: { since?: string; until?: string; dryRun?: boolean; disableAccess?: boolean }) =>
    api.post('/api/v1/runs', { body: { connectionId, actionId, ...body } }),
  /** The newest runs (up to limit), returned oldest first. */
  listRuns: async (query: { connectionId?: number; actionId?: string; userImport?: 'true'; limit?: number }, signal?: AbortSignal) => {
    const r = await api.get('/api/v1/runs', { query: { order: 'desc', limit: 100, ...query }, signal });
    return r.runs.reverse();
  },
  cancel: (runId: number) => api.post('/api/v1/runs/{id}/cancel', { params: { id: runId } }),
  rerun: (runId: number) => api.post('/api/v1/runs/{id}/rerun', { params: { id: runId } }),
  approve: (runId: number) => api.post('/api/v1/runs/{id}/approve', { params: { id: runId } }),
  reject: (runId: number) => api.post('/api/v1/runs/{id}/reject', { params: { id: runId } }),
  downloadErrors: (runId: number) => download('/api/v1/runs/{id}/errors.csv', { id: runId }, `run-${runId}-errors.csv`),
  downloadFile: (runId: number, name: string) => download('/api/v1/runs/{id}/files/{name}', { id: runId, name }, `run-${runId}-${name}`),
};
