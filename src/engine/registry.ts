import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { checkActions, type ActionDefinition, type ConnectorDefinition } from '../kit/define-connector.ts';
import type { Logger } from '../shared/logger.ts';
import { ConnectorErrors } from './errors.ts';
import { secretPaths } from './secrets.ts';
import { fileDropActions } from '../pipelines/file-drop-actions.ts';
import { userSourceImportAction } from '../pipelines/import-users/user-source-action.ts';

const connectorsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'connectors');

export interface Registry {
  list(): ConnectorDefinition[];
  get(id: string): ConnectorDefinition;
  action(connectorId: string, actionId: string): ActionDefinition;
  /** Manifests that failed to load (shown by `lmc connectors list`, never silently dropped). */
  broken: Array<{ dir: string; error: string }>;
}

let cached: Promise<Registry> | undefined;

/**
 * The connectors: every folder src/connectors/<id>/ with a manifest.ts (default export of defineConnector),
 * plus the folders of LMC_EXTRA_CONNECTOR_DIRS (':'-separated; tests put fixture connectors there).
 * Found by convention: there is no hand-kept list.
 */
export function loadRegistry(log?: Logger): Promise<Registry> {
  cached ??= discover(log).catch((e) => {
    cached = undefined;
    throw e;
  });
  return cached;
}

async function manifestFiles(dir: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries.filter((d) => d.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const f = path.join(dir, e.name, 'manifest.ts');
    if (await fs.stat(f).then(() => true, () => false)) out.push(f);
  }
  return out;
}

async function discover(log?: Logger): Promise<Registry> {
  const dirs = [connectorsDir, ...(process.env.LMC_EXTRA_CONNECTOR_DIRS ?? '').split(':').filter(Boolean).map((d) => path.resolve(d))];
  const byId = new Map<string, ConnectorDefinition>();
  const broken: Registry['broken'] = [];
  for (const dir of dirs) {
    for (const file of await manifestFiles(dir)) {
      try {
        const mod = (await import(pathToFileURL(file).href)) as { default?: ConnectorDefinition };
        const c = mod.default;
        if (!c || typeof c.id !== 'string' || !Array.isArray(c.actions)) throw new Error('manifest.ts must default-export defineConnector({...})');
        if (c.id !== path.basename(path.dirname(file))) throw new Error(`connector id "${c.id}" differs from its folder name`);
        if (byId.has(c.id)) throw new Error(`connector id "${c.id}" defined twice`);
        byId.set(c.id, withSharedActions(c));
      } catch (e) {
        broken.push({ dir: path.dirname(file), error: (e as Error).message });
        log?.error({ err: e, file }, 'connector manifest failed to load');
      }
    }
  }
  const list = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  return {
    list: () => list,
    get: (id) => {
      const c = byId.get(id);
      if (!c) throw ConnectorErrors.NOT_FOUND.create({ detail: id, field: 'connectorId' });
      return c;
    },
    action: (connectorId, actionId) => {
      const c = byId.get(connectorId);
      if (!c) throw ConnectorErrors.NOT_FOUND.create({ detail: connectorId, field: 'connectorId' });
      const a = c.actions.find((x) => x.id === actionId);
      if (!a) throw ConnectorErrors.ACTION_NOT_FOUND.create({ detail: `${connectorId}/${actionId}`, field: 'actionId' });
      return a;
    },
    broken,
  };
}

/**
 * The connector with the shared actions its capabilities bring, after its own: a file drop (`openFiles`) brings
 * the file-drop imports and exports, a user source (`users`) brings "Import Internal Users". The shared actions
 * carry their own declarations (screens, userImport). An action id twice (a connector's own action named like a
 * shared one, or a file drop that is also a user source), two user imports or two actions opened first are refused.
 */
export function withSharedActions(c: ConnectorDefinition): ConnectorDefinition {
  const shared = [...(c.openFiles ? fileDropActions : []), ...(c.users ? [userSourceImportAction(c.users)] : [])];
  const actions = [...c.actions, ...shared];
  checkActions(actions, `connector ${c.id} (its own actions and those its capabilities bring)`);
  return { ...c, actions };
}

/**
 * The actions, across connectors, that declare they are the platform's user import (what Users > Import Log
 * lists and `lmc import run` starts).
 */
export function userImportActions(reg: Registry): Array<{ connectorId: string; actionId: string }> {
  return reg.list().flatMap((c) => c.actions.filter((a) => a.userImport).map((a) => ({ connectorId: c.id, actionId: a.id })));
}

/** The action of a connector that declares it is the platform's user import; refused when it has none. */
export function userImportAction(reg: Registry, connectorId: string): ActionDefinition {
  const a = reg.get(connectorId).actions.find((x) => x.userImport);
  if (!a) throw ConnectorErrors.NO_USER_IMPORT.create({ detail: reg.get(connectorId).displayName, field: 'connectionId' });
  return a;
}

/** A JSON schema for forms (zod's toJSONSchema); secret fields carry `"secret": true` and `writeOnly` (secret()'s metadata). */
export function settingsJsonSchema(schema: z.ZodTypeAny): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/** The public description of a connector (API, CLI). */
export function describeConnector(c: ConnectorDefinition, withSchemas = false) {
  return {
    id: c.id,
    displayName: c.displayName,
    description: c.description,
    category: c.category,
    // What screens, routes and commands choose from (never the connector's id).
    capabilities: { files: Boolean(c.openFiles), api: Boolean(c.http), users: c.users ? { label: c.users.label } : null, sftp: c.sftp ?? null },
    auth: c.auth ? { kind: c.auth.kind, displayName: c.auth.displayName, interactive: c.auth.interactive } : null,
    onePerAccount: c.onePerAccount ?? false,
    actions: c.actions.map((a) => ({
      id: a.id,
      displayName: a.displayName,
      kind: a.kind,
      description: a.description,
      scheduleUnits: a.scheduleUnits,
      windowed: a.windowed,
      supportsDryRun: a.supportsDryRun,
      incremental: Boolean(a.state),
      // What the shells choose screens and commands from (never the action's id).
      screens: { mapping: a.screens?.mapping ?? null, filters: a.screens?.filters ?? null, opensFirst: a.screens?.opensFirst ?? false },
      userImport: a.userImport ?? false,
      ...(withSchemas ? { optionsSchema: settingsJsonSchema(a.options as z.ZodTypeAny) } : {}),
    })),
    ...(withSchemas ? { settingsSchema: settingsJsonSchema(c.settings as z.ZodTypeAny), secretFields: secretPaths(c.settings as z.ZodTypeAny).map((p) => p.join('.')) } : {}),
  };
}
