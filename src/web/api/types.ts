import type { GetResult } from './client.ts';

/** Names for the API's response types (all derived from the generated OpenAPI types, none written by hand). */
export type Connector = GetResult<'/api/v1/connectors/{id}'>;
export type ConnectorAction = Connector['actions'][number];
export type Connection = GetResult<'/api/v1/connections/{id}'>;
export type Run = GetResult<'/api/v1/runs'>['runs'][number];
export type RunDetail = GetResult<'/api/v1/runs/{id}'>;
export type Schedule = GetResult<'/api/v1/connections/{id}/actions/{actionId}/schedule'>;
export type ActionOptions = GetResult<'/api/v1/connections/{id}/actions/{actionId}/settings'>['options'];
export type Notification = GetResult<'/api/v1/notifications'>['notifications'][number];
export type Training = GetResult<'/api/v1/trainings'>['items'][number];
