import type { z } from 'zod';
import type { ConnectorEnv } from './define-connector.ts';
import type { RunContext } from './run-context.ts';

/**
 * A field of a vendor's user records that the mapping page offers (the vendor's schema, e.g. Graph's user
 * properties from $metadata, Salesforce's describe, Workday's attribute paths, SCIM's schema).
 */
export interface SourceField {
  /** The key of the value in SourceUser.values, and what a mapping names. */
  name: string;
  /** What an admin reads; defaults to name. */
  label?: string;
  description?: string;
  type?: 'string' | 'email' | 'boolean' | 'number' | 'date';
}

/** One user as the vendor gives it. */
export interface SourceUser {
  /** The vendor's id of the record: named in the error report, key of removals and of managers given by id. */
  id: string;
  /** Source field -> value (nested vendor values flattened by the connector to the names of its fields). */
  values: Record<string, string | number | boolean | null | undefined>;
  /**
   * The manager's vendor id, for sources that give managers by id (Graph's delta: `manager@delta`). Used when
   * the mapped manager field of the record is empty: the manager is found among this run's records, then among
   * the users an earlier run of this connection imported.
   */
  managerId?: string | null;
}

/** A user the vendor reports deleted or out of scope (delta sources). */
export interface SourceRemoval {
  id: string;
  removed: true;
}

export type SourceItem = SourceUser | SourceRemoval;

/** What one read of the source gives the user import. */
export interface UserSourceRead {
  /**
   * true: the items are every user in scope (a full read; users of this connection absent from them are kept,
   * suspended or deleted as the admin chose). false: changes only (a delta read); absent users are left alone
   * and only the removals the vendor reported are suspended or deleted as chosen.
   */
  complete: boolean;
  items: AsyncIterable<SourceItem>;
}

/**
 * The `users` capability: a connector whose vendor holds users declares how to list its fields and read its
 * users; the engine then offers the shared "Import Internal Users" action (mapping, filters, dry run with change
 * set, deletion threshold and approval, one-transaction apply, automatic groups, error report by record id).
 *
 * @example
 * users: {
 *   label: 'Microsoft Entra ID',
 *   fields: async () => [{ name: 'mail', type: 'email' }, { name: 'displayName' }],
 *   state: z.object({ deltaLink: z.string() }),
 *   async read(rc, want) {
 *     return { complete: !rc.state.current, items: readUsers(rc.http(), want.fields, rc.state) };
 *   },
 * }
 */
export interface UserSourceCapability<S = any, T = any> {
  /** What the error report and the run log call the source, e.g. "Microsoft Entra ID". */
  label: string;
  /** Added to the action's description (what is read, e.g. "users of the tenant through Microsoft Graph"). */
  description?: string;
  /** The vendor's user fields, for the mapping page (may call the vendor: env.http()). */
  fields(settings: S, env: ConnectorEnv): Promise<SourceField[]>;
  /**
   * Reads the users. `want.fields` are the source fields the mapping and the filters name (read only those
   * where the vendor lets you choose). Rejects of single records the connector finds itself go through
   * rc.reject({ source: label, recordId, field, reason }).
   */
  read(rc: RunContext<S, unknown, T>, want: { fields: string[] }): Promise<UserSourceRead>;
  /**
   * Keys of a person that must be unique across this connector's connections of one account (Workday's
   * "Points to note": UUID, e-mail and name unique across the Workday integrations). `id` is the record id,
   * `email` and `name` the values of the source fields the mapping gives the user's e-mail and name. A record
   * whose key is already a user another connection of this connector imported (and still owns) is rejected
   * into the error report, naming the record, the key and that connection; the connection that imported the
   * person first keeps them. Users this connection already owns are never rejected (that would make them
   * absent from a full read). Checked by the shared import (src/pipelines/import-users/distinct-keys.ts).
   */
  distinctAcrossConnections?: Array<'id' | 'email' | 'name'>;
  /**
   * The record id is the person's HR UUID: in the import's transaction (with the users' changes, or not at all)
   * each user of the run gets it as `externalIds.hr_uuid` where it differs (created, updated and unchanged users:
   * users imported before get it on the next run that reads them), which an admin can neither clear nor change
   * (the spec: "The UUID field once populated via Workday cannot be deleted by any client facing LMS
   * Administrator"). A dry run's change set shows the UUIDs it would set (field `external_ids.hr_uuid`).
   */
  recordIdIsUuid?: boolean;
  /** Incremental sources: the cursor kept between runs (see ActionDefinition.state). */
  state?: z.ZodType<T>;
  scheduleUnits?: Array<'days' | 'hours'>;
}
