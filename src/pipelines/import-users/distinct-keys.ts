import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { RejectedRecord } from '../../kit/run-context.ts';
import type { SourceItem, UserSourceRead } from '../../kit/user-source.ts';

export type DistinctKey = 'id' | 'email' | 'name';

/** Where the keys of a record are, and who reads them. */
export interface DistinctKeysCheck {
  accountId: number;
  connectionId: number;
  connectorId: string;
  label: string;
  keys: DistinctKey[];
  /** The source fields the mapping gives the user's e-mail and name. */
  emailField: string;
  nameField: string;
  reject(r: RejectedRecord): Promise<void>;
  /** A record read and rejected here (the import counts only the records that reach it). */
  countRead(): void;
}

const fold = (v: unknown) => (v === null || v === undefined ? '' : String(v).trim().toLowerCase());

/**
 * A person comes through one connection of a connector only, when the connector says so
 * (UserSourceCapability.distinctAcrossConnections; Workday's "Points to note": UUID, e-mail and name unique
 * across the Workday integrations). Wraps a read: a record whose id, e-mail or name is already a user that
 * another connection of the same connector imported and owns is rejected (naming the record, the key and that
 * connection) and not imported; the first connection keeps the person. A record of a user this connection
 * owns is never rejected: left out of a full read, its user would count as absent.
 *
 * The other connections' keys are read once, before the records (an account has few such connections; an
 * account with only this one pays one small query). Per-record rejects rather than a failed run: one worker
 * present in two tenants must not stop the import of everyone else (partial success, DESIGN.md).
 */
export async function withDistinctKeys(db: Database, read: UserSourceRead, c: DistinctKeysCheck): Promise<UserSourceRead> {
  if (c.keys.length === 0) return read;
  const others = await db
    .selectFrom('connections')
    .select(['id', 'name'])
    .where('account_id', '=', c.accountId)
    .where('connector_id', '=', c.connectorId)
    .where('id', '<>', c.connectionId)
    .where('deleted_at', 'is', null)
    .execute();
  if (others.length === 0) return read;
  const nameOf = new Map(others.map((o) => [Number(o.id), o.name]));
  const ids = others.map((o) => Number(o.id));
  const owners = { id: new Map<string, number>(), email: new Map<string, number>(), name: new Map<string, number>() };
  const own = new Set<string>();
  const users = await db
    .selectFrom('users')
    .select(['email', 'name', 'data_source_id'])
    .where('account_id', '=', c.accountId)
    .where('state', '<>', 'deleted')
    .where('data_source_id', 'in', [...ids, c.connectionId])
    .execute();
  for (const u of users) {
    if (Number(u.data_source_id) === c.connectionId) own.add(fold(u.email));
    else {
      owners.email.set(fold(u.email), Number(u.data_source_id));
      owners.name.set(fold(u.name), Number(u.data_source_id));
    }
  }
  if (c.keys.includes('id')) {
    // The record ids the other connections imported their (still owned) users from.
    const r = await sql<{ source_id: string; connection_id: string }>`
      select s.source_id, s.connection_id from user_source_ids s join users u on u.id = s.user_id
      where s.connection_id = any(${ids}::bigint[]) and u.account_id = ${c.accountId} and u.data_source_id = s.connection_id and u.state <> 'deleted'`.execute(db);
    for (const x of r.rows) owners.id.set(x.source_id, Number(x.connection_id));
  }
  async function* items(): AsyncGenerator<SourceItem> {
    for await (const item of read.items) {
      if ('removed' in item && item.removed) {
        yield item;
        continue;
      }
      const rec = item as Extract<SourceItem, { values: unknown }>;
      const email = fold(rec.values[c.emailField]);
      if (!own.has(email)) {
        const hit = c.keys
          .map((k) => {
            const [value, field] = k === 'id' ? [String(rec.id), undefined] : k === 'email' ? [email, c.emailField] : [fold(rec.values[c.nameField]), c.nameField];
            const owner = value ? owners[k].get(value) : undefined;
            return owner === undefined ? undefined : { k, field, owner, shown: k === 'id' ? String(rec.id) : String(rec.values[field!] ?? '').trim() };
          })
          .find((h) => h !== undefined);
        if (hit) {
          const what = { id: 'record id (UUID)', email: 'e-mail address', name: 'name' }[hit.k];
          await c.reject({
            source: c.label,
            recordId: String(rec.id),
            ...(hit.field ? { field: hit.field } : {}),
            reason: `the ${what} "${hit.shown}" belongs to a user imported through the other ${c.label} connection "${nameOf.get(hit.owner)}": a person is imported through one ${c.label} connection only (UUID, e-mail address and name must be unique across them)`,
          });
          c.countRead();
          continue;
        }
      }
      yield rec;
    }
  }
  return { complete: read.complete, items: items() };
}
