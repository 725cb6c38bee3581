import type { ColumnType, Generated, JSONColumnType } from 'kysely';

// Row types of migrations/0007-xapi-export.ts. Keep in step with that file.
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** One output column of an xAPI export: a JSON path into the stored statement, its CSV header and its type. */
export interface XapiExportColumnRow {
  path: string;
  column: string;
  type: 'string' | 'number' | 'boolean' | 'date';
}

export interface XapiExportConfigsTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  columns: JSONColumnType<XapiExportColumnRow[], string, string>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface XapiExportTables {
  xapi_export_configs: XapiExportConfigsTable;
}
