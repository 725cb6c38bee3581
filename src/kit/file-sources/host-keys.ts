import type { Database } from '../../db/database.ts';
import { FileDropErrors } from './file-drop-errors.ts';
import { fingerprintOfBlob, keyTypeOfBlob } from './ssh-keys.ts';

/** Decides whether an SFTP server's host key is trusted. */
export interface HostKeyPolicy {
  /** Resolves true to continue the handshake; records what it saw. */
  verify(hostKey: Buffer): Promise<boolean>;
  /** After a refusal: the error to report (names both fingerprints). */
  refusal(): Error | undefined;
}

/**
 * Trust on first use, kept in file_drop_host_keys per connection: the first key seen is pinned; a different
 * key later is refused and stored as "pending" until an admin accepts it (acceptPendingHostKey). A connection
 * not saved yet (connectionId 0, a settings test) accepts any key and pins nothing. Changing the host or
 * port of a connection is an admin's decision, so the key seen at the new address is pinned afresh.
 * With `deferPin` (settings checked before they are saved), a new pin is handed to it instead of written,
 * so that settings refused in the end leave the pin as it was; it gets the saved connection's id.
 */
export function pinnedHostKeyPolicy(
  db: Database,
  where: { accountId: number; connectionId: number; host: string; port: number },
  deferPin?: (pin: (connectionId: number) => Promise<void>) => void,
): HostKeyPolicy {
  let refused: Error | undefined;
  const pin = (keyType: string, fingerprint: string) => async (connectionId: number) => {
    await db
      .insertInto('file_drop_host_keys')
      .values({ connection_id: connectionId, account_id: where.accountId, host: where.host, port: where.port, key_type: keyType, fingerprint })
      .onConflict((oc) => oc.column('connection_id').doUpdateSet({ host: where.host, port: where.port, key_type: keyType, fingerprint, pinned_at: new Date(), pending_key_type: null, pending_fingerprint: null, pending_seen_at: null }))
      .execute();
  };
  return {
    refusal: () => refused,
    async verify(hostKey) {
      if (!where.connectionId && !deferPin) return true;
      const fingerprint = fingerprintOfBlob(hostKey);
      const keyType = keyTypeOfBlob(hostKey);
      const row = where.connectionId ? await db.selectFrom('file_drop_host_keys').selectAll().where('connection_id', '=', where.connectionId).executeTakeFirst() : undefined;
      if (!row || row.host !== where.host || row.port !== where.port) {
        if (deferPin) deferPin(pin(keyType, fingerprint));
        else await pin(keyType, fingerprint)(where.connectionId);
        return true;
      }
      if (row.fingerprint === fingerprint) return true;
      await db
        .updateTable('file_drop_host_keys')
        .set({ pending_key_type: keyType, pending_fingerprint: fingerprint, pending_seen_at: new Date() })
        .where('connection_id', '=', where.connectionId)
        .execute();
      refused = FileDropErrors.HOST_KEY_CHANGED.create({
        detail: `pinned ${row.key_type} ${row.fingerprint}, the server now offers ${keyType} ${fingerprint}`,
        data: { pinned: row.fingerprint, offered: fingerprint },
      });
      return false;
    },
  };
}

/** The pinned (and any pending) host key of a connection, or undefined before the first connect. */
export async function getHostKey(db: Database, accountId: number, connectionId: number) {
  return db
    .selectFrom('file_drop_host_keys')
    .select(['host', 'port', 'key_type as keyType', 'fingerprint', 'pinned_at as pinnedAt', 'pending_key_type as pendingKeyType', 'pending_fingerprint as pendingFingerprint', 'pending_seen_at as pendingSeenAt'])
    .where('account_id', '=', accountId)
    .where('connection_id', '=', connectionId)
    .executeTakeFirst();
}

/**
 * The admin's "accept new host key": the pending key becomes the pinned one. With `fingerprint`, only when
 * it is the pending key (so an admin accepts exactly the key they were shown).
 */
export async function acceptPendingHostKey(db: Database, accountId: number, connectionId: number, fingerprint?: string) {
  const row = await getHostKey(db, accountId, connectionId);
  if (!row?.pendingFingerprint || (fingerprint && fingerprint !== row.pendingFingerprint)) throw FileDropErrors.NO_PENDING_HOST_KEY.create();
  await db
    .updateTable('file_drop_host_keys')
    .set({ key_type: row.pendingKeyType ?? row.keyType, fingerprint: row.pendingFingerprint, pinned_at: new Date(), pending_key_type: null, pending_fingerprint: null, pending_seen_at: null })
    .where('connection_id', '=', connectionId)
    .execute();
  return { fingerprint: row.pendingFingerprint };
}

/** Forgets the pin (the next connect pins afresh); used when a connection is deleted. */
export async function forgetHostKey(db: Database, accountId: number, connectionId: number): Promise<void> {
  await db.deleteFrom('file_drop_host_keys').where('account_id', '=', accountId).where('connection_id', '=', connectionId).execute();
}
