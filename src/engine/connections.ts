import { sql } from 'kysely';
import type { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import type { ConnectorDefinition, ConnectorEnv } from '../kit/define-connector.ts';
import type { FileSource } from '../kit/file-sources/file-source.ts';
import { CommonErrors, LmcError } from '../shared/errors.ts';
import { ConnectionErrors } from './errors.ts';
import { loadRegistry } from './registry.ts';
import { mergeSettingsForUpdate, openSettings, publicSettings, sealSettings, secretKey } from './secrets.ts';
import type { HttpClient } from '../kit/http/client.ts';
import { connectionHttpClient } from './connection-http.ts';
import { tokenStatus } from './token-store.ts';
import { isInteractive } from '../kit/auth/auth-kind.ts';
import { getHostKey, pinnedHostKeyPolicy } from '../kit/file-sources/host-keys.ts';
import { ensureHostedAccount, getHostedAccount } from '../kit/file-sources/hosted-drop.ts';
import { openLocalDropRoot } from '../kit/file-sources/local-drop-roots.ts';

/** Who acts: the account every query is scoped to, and the user (for "created by"/"started by"). */
export interface Actor {
  accountId: number;
  userId: number | null;
}

export const historyKeyOf = (connectorId: string, name: string) => `${connectorId}/${name.trim().toLowerCase()}`;
const aadOf = (accountId: number) => `account:${accountId}`;

type Row = { id: number; account_id: number; connector_id: string; name: string; enabled: boolean; settings: Record<string, unknown>; created_at: Date; updated_at: Date; history_key: string };

function validate(connector: ConnectorDefinition, settings: unknown): Record<string, unknown> {
  const r = (connector.settings as z.ZodTypeAny).safeParse(settings);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = ['settings', ...issue.path.map(String)].join('.');
    throw ConnectionErrors.INVALID_SETTINGS.create({ field, detail: `${field}: ${issue.message}` });
  }
  return r.data as Record<string, unknown>;
}

/** The connection as the API and CLI show it: never a secret, only whether each is set. */
export function toPublicConnection(connector: ConnectorDefinition | undefined, row: Row) {
  const pub = connector ? publicSettings(connector.settings as z.ZodTypeAny, row.settings) : { settings: {}, secrets: {} };
  return { id: row.id, connectorId: row.connector_id, name: row.name, enabled: row.enabled, settings: pub.settings, secrets: pub.secrets, createdAt: row.created_at, updatedAt: row.updated_at };
}
export type PublicConnection = ReturnType<typeof toPublicConnection>;

/** The environment a connector's hooks receive. */
export function connectorEnv(ctx: AppContext, accountId: number, connectionId: number, api?: { connector: ConnectorDefinition; settings: Record<string, unknown> }): ConnectorEnv {
  let client: HttpClient | undefined;
  const env: ConnectorEnv = {
    accountId, connectionId, dataDir: ctx.config.dataDir, log: ctx.log.child({ accountId, connectionId }),
    drops: {
      hostedAccount: () => getHostedAccount(ctx.db, accountId),
      ensureHostedAccount: (email) => ensureHostedAccount(ctx.db, ctx.config.dataDir, accountId, email),
      sftpPort: ctx.config.sftpPort,
      localRoot: (root, o) => openLocalDropRoot(ctx.db, ctx.config, accountId, root, o),
      // env.afterSave is read when the policy is made: a settings check sets it after this object is built.
      hostKeys: (t) => pinnedHostKeyPolicy(ctx.db, { accountId, connectionId, ...t }, env.afterSave),
      pinnedHostKey: async () => (connectionId ? getHostKey(ctx.db, accountId, connectionId) : undefined),
      outboundAllowPrivate: ctx.config.outboundAllowPrivate,
    },
    http: () => {
      if (!api) throw new Error('no vendor API here');
      client ??= connectionHttpClient(ctx, api.connector, api.settings, { accountId, connectionId });
      return client;
    },
  };
  return env;
}

/**
 * Connects with settings before they are saved: the connector prepares (onConnect, e.g. creates the drop's
 * folders) and its connection test must pass. Any failure throws, so that nothing is saved: a coded error
 * as the connector raised it, else LMC_ERR_CONNECTION_TEST_FAILED (400) with the test's message. Returns
 * what to do once the settings are saved (e.g. pin the SFTP host key seen here).
 */
async function checkBeforeSave(ctx: AppContext, connector: ConnectorDefinition, settings: Record<string, unknown>, accountId: number, connectionId: number): Promise<(id: number) => Promise<void>> {
  const afterSave: Array<(id: number) => Promise<void>> = [];
  const env: ConnectorEnv = connectorEnv(ctx, accountId, connectionId, { connector, settings });
  env.afterSave = (fn) => afterSave.push(fn);
  try {
    if (connector.onConnect) await connector.onConnect(settings as never, env);
    // A connector whose admin signs in at the vendor cannot reach the API before Connect: it is saved, and
    // its page asks for Connect (the settings themselves were validated by their schema).
    const signInFirst = connector.auth && isInteractive(connector.auth, settings.auth) && !(connectionId && (await tokenStatus(ctx, accountId, connectionId)).authorized);
    if (!signInFirst) {
      const t = await connector.testConnection(settings as never, env);
      if (!t.ok) throw ConnectionErrors.TEST_FAILED.create({ detail: t.message, field: 'settings' });
    }
  } catch (e) {
    if (e instanceof LmcError) throw e;
    env.log.warn({ err: (e as Error)?.message, connectorId: connector.id }, 'connection check failed before save');
    throw ConnectionErrors.TEST_FAILED.create({ detail: (e as Error)?.message ?? String(e), field: 'settings', cause: e });
  }
  return async (id) => {
    for (const fn of afterSave) await fn(id);
  };
}

/** The name must be free before the settings are tried (the unique index still decides under a race). */
async function assertNameFree(ctx: AppContext, accountId: number, connectorId: string, name: string, exceptId?: number): Promise<void> {
  let q = ctx.db.selectFrom('connections').select('id').where('account_id', '=', accountId).where('history_key', '=', historyKeyOf(connectorId, name)).where('deleted_at', 'is', null);
  if (exceptId) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw ConnectionErrors.NAME_TAKEN.create({ field: 'name', detail: name });
}

/** Refuses a second connection of a one-per-account connector (checked before onConnect changes anything). */
async function assertFirstOfAccount(ctx: AppContext, accountId: number, connector: ConnectorDefinition): Promise<void> {
  const other = await ctx.db.selectFrom('connections').select('name')
    .where('account_id', '=', accountId).where('connector_id', '=', connector.id).where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (other) throw ConnectionErrors.ONE_PER_ACCOUNT.create({ field: 'connectorId', detail: `${connector.displayName} is already connected as "${other.name}"; change that connection instead`, data: { connectionName: other.name } });
}

async function loadRow(ctx: AppContext, accountId: number, id: number): Promise<Row> {
  const row = await ctx.db
    .selectFrom('connections')
    .select(['id', 'account_id', 'connector_id', 'name', 'enabled', 'settings', 'created_at', 'updated_at', 'history_key'])
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw ConnectionErrors.NOT_FOUND.create(String(id));
  return row;
}

/**
 * Creates a connection: validates the settings with the connector's schema, lets the connector prepare
 * (onConnect, e.g. create the drop's folders) and test them, and only then saves it, secrets encrypted.
 * A failing test saves nothing.
 * @example await createConnection(ctx, actor, { connectorId: 'local-directory', name: 'HR drop', settings: { root: '/srv/hr' } })
 */
export async function createConnection(ctx: AppContext, actor: Actor, input: { connectorId: string; name: string; settings: unknown; enabled?: boolean }): Promise<PublicConnection> {
  const connector = (await loadRegistry(ctx.log)).get(input.connectorId);
  const name = input.name.trim();
  if (!name) throw ConnectionErrors.INVALID_SETTINGS.create({ field: 'name', detail: 'a name is required' });
  const settings = validate(connector, input.settings ?? {});
  await assertNameFree(ctx, actor.accountId, connector.id, name);
  if (connector.onePerAccount) await assertFirstOfAccount(ctx, actor.accountId, connector);
  const saved = await checkBeforeSave(ctx, connector, settings, actor.accountId, 0);
  const sealed = sealSettings(secretKey(ctx.config), connector.settings as z.ZodTypeAny, settings, aadOf(actor.accountId));
  let row: Row;
  try {
    row = await ctx.db
      .insertInto('connections')
      .values({ account_id: actor.accountId, connector_id: connector.id, name, history_key: historyKeyOf(connector.id, name), enabled: input.enabled ?? true, settings: JSON.stringify(sealed), created_by: actor.userId })
      .returning(['id', 'account_id', 'connector_id', 'name', 'enabled', 'settings', 'created_at', 'updated_at', 'history_key'])
      .executeTakeFirstOrThrow();
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw ConnectionErrors.NAME_TAKEN.create({ field: 'name', detail: name });
    throw e;
  }
  await saved(row.id);
  return toPublicConnection(connector, row);
}

export async function listConnections(ctx: AppContext, accountId: number, filter: { connectorId?: string } = {}): Promise<PublicConnection[]> {
  const reg = await loadRegistry(ctx.log);
  let q = ctx.db
    .selectFrom('connections')
    .select(['id', 'account_id', 'connector_id', 'name', 'enabled', 'settings', 'created_at', 'updated_at', 'history_key'])
    .where('account_id', '=', accountId)
    .where('deleted_at', 'is', null);
  if (filter.connectorId) q = q.where('connector_id', '=', filter.connectorId);
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => toPublicConnection(reg.list().find((c) => c.id === r.connector_id), r));
}

export async function getConnection(ctx: AppContext, accountId: number, id: number): Promise<PublicConnection> {
  const row = await loadRow(ctx, accountId, id);
  const reg = await loadRegistry(ctx.log);
  return toPublicConnection(reg.list().find((c) => c.id === row.connector_id), row);
}

/** A live connection with its connector and decrypted settings (engine-internal; never returned by the API). */
export async function openConnection(ctx: AppContext, accountId: number, id: number, opts: { includeDeleted?: boolean } = {}) {
  let q = ctx.db
    .selectFrom('connections')
    .select(['id', 'account_id', 'connector_id', 'name', 'enabled', 'settings', 'created_at', 'updated_at', 'history_key', 'deleted_at'])
    .where('account_id', '=', accountId)
    .where('id', '=', id);
  if (!opts.includeDeleted) q = q.where('deleted_at', 'is', null);
  const row = await q.executeTakeFirst();
  if (!row) throw ConnectionErrors.NOT_FOUND.create(String(id));
  const connector = (await loadRegistry(ctx.log)).get(row.connector_id);
  const settings = openSettings(secretKey(ctx.config), connector.settings as z.ZodTypeAny, row.settings, aadOf(accountId));
  return { row, connector, settings };
}

/**
 * Opens a connection's file drop outside a run (mapping screens, column discovery, listing exports), hands it
 * to `fn` and closes it. A connector without a file drop gets `noDrop`'s error (default: a validation error).
 * @example await withConnectionFiles(ctx, accountId, 3, (drop) => drop.list('import/xapi'))
 */
export async function withConnectionFiles<T>(
  ctx: AppContext,
  accountId: number,
  id: number,
  fn: (drop: FileSource) => Promise<T>,
  noDrop: (connectorId: string) => Error = (c) => CommonErrors.VALIDATION.create({ detail: `the connector ${c} has no file drop`, field: 'connectionId' }),
): Promise<T> {
  const { connector, settings } = await openConnection(ctx, accountId, id);
  if (!connector.openFiles) throw noDrop(connector.id);
  const drop = await connector.openFiles(settings as never, connectorEnv(ctx, accountId, id));
  try {
    return await fn(drop);
  } finally {
    await drop.close();
  }
}

/**
 * Updates name, enabled and/or settings. Secrets not resent keep their stored value; the merged settings
 * are validated again as a whole, and tested (as on create) before anything is saved.
 */
export async function updateConnection(ctx: AppContext, accountId: number, id: number, patch: { name?: string; enabled?: boolean; settings?: Record<string, unknown> }): Promise<PublicConnection> {
  const { row, connector, settings: current } = await openConnection(ctx, accountId, id);
  const schema = connector.settings as z.ZodTypeAny;
  const name = patch.name?.trim() ?? row.name;
  if (!name) throw ConnectionErrors.INVALID_SETTINGS.create({ field: 'name', detail: 'a name is required' });
  const next = patch.settings ? validate(connector, mergeSettingsForUpdate(schema, current, patch.settings)) : current;
  if (name !== row.name) await assertNameFree(ctx, accountId, connector.id, name, id);
  const saved = patch.settings ? await checkBeforeSave(ctx, connector, next, accountId, id) : undefined;
  const sealed = sealSettings(secretKey(ctx.config), schema, next, aadOf(accountId));
  let updated: Row;
  try {
    updated = await ctx.db
      .updateTable('connections')
      .set({ name, history_key: historyKeyOf(connector.id, name), enabled: patch.enabled ?? row.enabled, settings: JSON.stringify(sealed), updated_at: sql<Date>`now()` })
      .where('id', '=', id)
      .where('account_id', '=', accountId)
      .returning(['id', 'account_id', 'connector_id', 'name', 'enabled', 'settings', 'created_at', 'updated_at', 'history_key'])
      .executeTakeFirstOrThrow();
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw ConnectionErrors.NAME_TAKEN.create({ field: 'name', detail: name });
    throw e;
  }
  await saved?.(id);
  return toPublicConnection(connector, updated);
}

/**
 * Deletes a connection: its settings and schedules go, its run history stays (keyed by connector + name)
 * and shows again on a connection re-created with the same connector and name. Queued runs are cancelled.
 */
export async function deleteConnection(ctx: AppContext, accountId: number, id: number): Promise<void> {
  await loadRow(ctx, accountId, id);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('connections').set({ deleted_at: sql<Date>`now()`, enabled: false }).where('id', '=', id).where('account_id', '=', accountId).execute();
    await trx.deleteFrom('schedules').where('connection_id', '=', id).execute();
    await trx.updateTable('runs').set({ status: 'cancelled', finished_at: sql<Date>`now()`, note: 'cancelled: the connection was deleted' }).where('connection_id', '=', id).where('status', 'in', ['queued', 'needs_approval']).execute();
    await trx.updateTable('runs').set({ cancel_requested: true }).where('connection_id', '=', id).where('status', '=', 'running').execute();
  });
}

/** Runs the connector's connection test; a plain failure is `{ ok: false, message }`, never a throw. */
export async function testConnection(ctx: AppContext, accountId: number, id: number): Promise<{ ok: boolean; message: string; pending?: string }> {
  const { connector, settings } = await openConnection(ctx, accountId, id);
  try {
    // An API connector's test calls its vendor with the saved credentials (env.http()).
    return await connector.testConnection(settings as never, connectorEnv(ctx, accountId, id, connector.http ? { connector, settings: settings as Record<string, unknown> } : undefined));
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}
