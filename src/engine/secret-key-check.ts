import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { ConnectionErrors } from './errors.ts';
import { decryptSecret, encryptSecret, isSealed, secretKey, type SealedSecret } from './secrets.ts';

const FACT = 'secret_key_check';
const AAD = 'installation:secret-key-check';

const HOW_TO_FIX =
  'give every lmc process of this installation the same key: the same LMC_SECRET_KEY, or a copy of the first host\'s <data dir>/secret.key (docs/operations.md, "Several hosts")';

/**
 * Refuses to start a process (serve, worker) whose secret key cannot decrypt what the installation stored:
 * on several hosts, each one created its own <dataDir>/secret.key, and a worker elsewhere then failed every run
 * with "could not be decrypted". The first process to start stores a check value (an encrypted random text);
 * the later ones must decrypt it. A database of an older version without the check value is checked against
 * one of its connection secrets, and the check value is stored once that succeeds.
 */
export async function assertSecretKeyMatches(ctx: AppContext): Promise<'stored' | 'matched'> {
  const key = secretKey(ctx.config);
  const source = ctx.config.secretKey ? 'LMC_SECRET_KEY' : `${ctx.config.dataDir}/secret.key`;
  const mismatch = (what: string) =>
    ConnectionErrors.SECRET_KEY_MISMATCH.create(`the key of ${source} cannot decrypt ${what}; ${HOW_TO_FIX}`);
  const stored = await ctx.db.selectFrom('installation_facts').select('value').where('name', '=', FACT).executeTakeFirst();
  if (stored) {
    if (!opens(key, JSON.parse(stored.value) as SealedSecret, AAD)) throw mismatch('the check value stored in the database by the first lmc process');
    return 'matched';
  }
  const existing = await oneStoredSecret(ctx);
  if (existing && !opens(key, existing.sealed, existing.aad)) throw mismatch(`the secrets of connection ${existing.connectionId}`);
  const value = JSON.stringify(encryptSecret(key, crypto.randomBytes(16).toString('base64'), AAD));
  const inserted = await ctx.db.insertInto('installation_facts').values({ name: FACT, value }).onConflict((oc) => oc.column('name').doNothing()).returning('name').executeTakeFirst();
  if (inserted) return 'stored';
  return assertSecretKeyMatches(ctx); // another process stored its check value meanwhile: ours must open it
}

function opens(key: Buffer, sealed: SealedSecret, aad: string): boolean {
  try {
    decryptSecret(key, sealed, aad);
    return true;
  } catch {
    return false;
  }
}

/** One encrypted value of a connection's settings (sealed with the connection's account as associated data). */
async function oneStoredSecret(ctx: AppContext): Promise<{ connectionId: number; sealed: SealedSecret; aad: string } | undefined> {
  const { rows } = await sql<{ id: number; account_id: number; settings: unknown }>`
    select id, account_id, settings from connections where settings @? '$.** ? (exists (@."$enc"))' order by id limit 1`.execute(ctx.db);
  for (const r of rows) {
    const sealed = findSealed(r.settings);
    if (sealed) return { connectionId: r.id, sealed, aad: `account:${r.account_id}` };
  }
  return undefined;
}

function findSealed(v: unknown): SealedSecret | undefined {
  if (isSealed(v)) return v;
  if (v && typeof v === 'object') for (const x of Object.values(v)) {
    const s = findSealed(x);
    if (s) return s;
  }
  return undefined;
}
