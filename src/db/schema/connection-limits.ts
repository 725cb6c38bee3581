import type { ColumnType } from 'kysely';

// Row types of migrations/0019-connection-limits.ts (engine/connection-limiter.ts). Keep in step with that file.
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface ConnectionLimitSlotsTable {
  connection_id: number;
  slot: number;
  holder: string | null;
  expires_at: Timestamp | null;
}

export interface ConnectionRateBucketsTable {
  connection_id: number;
  tokens: number;
  refilled_at: Timestamp;
  granted: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface ConnectionLimitTables {
  connection_limit_slots: ConnectionLimitSlotsTable;
  connection_rate_buckets: ConnectionRateBucketsTable;
}
