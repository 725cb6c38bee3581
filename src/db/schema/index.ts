import type { AuthTables } from './auth.ts';
import type { ConnectionLimitTables } from './connection-limits.ts';
import type { CoreTables } from './core.ts';
import type { EngineTables } from './engine.ts';
import type { FileDropTables } from './file-drops.ts';
import type { LrsTables } from './lrs.ts';
import type { OAuthTables } from './oauth.ts';
import type { XapiExportTables } from './xapi-export.ts';

/** Every table the product owns, one file per area (each file mirrors that area's migration). */
export interface DB extends CoreTables, EngineTables, AuthTables, ConnectionLimitTables, LrsTables, FileDropTables, XapiExportTables, OAuthTables {}
