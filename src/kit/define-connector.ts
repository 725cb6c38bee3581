import { z } from 'zod';
import type { Logger } from '../shared/logger.ts';
import type { AuthKind, FromConnection } from './auth/auth-kind.ts';
import type { Classifier } from './http/classify.ts';
import type { HttpClient } from './http/client.ts';
import type { LimitOptions } from './http/rate-limiter.ts';
import type { RetryPolicy } from './http/retry-policy.ts';
import type { FileSource } from './file-sources/file-source.ts';
import type { HostKeyPolicy } from './file-sources/host-keys.ts';
import type { HostedAccountView } from './file-sources/hosted-drop.ts';
import type { RunContext } from './run-context.ts';
import type { UserSourceCapability } from './user-source.ts';
import type { VendorChoices } from './vendor-choices.ts';

/**
 * Marks a settings field secret: encrypted at rest, never returned by the API, never logged. Found anywhere
 * in the settings: nested objects, lists and union branches (engine/secrets.ts); forms see `secret` and
 * `writeOnly` in the JSON schema.
 * @example settings: z.object({ host: z.string(), password: secret(z.string()) })
 */
export function secret<T extends z.ZodTypeAny>(schema: T): T {
  return schema.meta({ secret: true, writeOnly: true }) as T;
}

/** True when `schema` (or the schema it wraps: optional, nullable, default) was marked with secret(). */
export function isSecret(schema: z.ZodTypeAny): boolean {
  let s: z.ZodTypeAny | undefined = schema;
  for (let i = 0; s && i < 10; i++) {
    if ((z.globalRegistry.get(s) as { secret?: boolean } | undefined)?.secret) return true;
    const def: { type: string; innerType?: z.ZodTypeAny } = (s as unknown as { def: { type: string; innerType?: z.ZodTypeAny } }).def;
    s = ['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(def.type) ? def.innerType : undefined;
  }
  return false;
}

export type ActionId =
  | 'import-users'
  | 'export-user-skills'
  | 'export-learner-transcripts'
  | 'import-xapi'
  | 'export-xapi'
  | (string & {});

/**
 * The editors the screens share between actions, for a mapping or filters that a form generated from the
 * action's options would not do well: 'user-import' (Map Attributes and the user filters of the platform's
 * user import), 'xapi-import' (the connection's xAPI import configurations), 'xapi-export' (the xAPI export
 * configuration a run writes).
 */
export const ACTION_EDITORS = ['user-import', 'xapi-import', 'xapi-export'] as const;
export type ActionEditor = (typeof ACTION_EDITORS)[number];

/**
 * What the web app, API and CLI show for an action: they choose from this, never from the action's id, so a
 * new connector's actions get their screens without a change in the shells.
 */
export interface ActionScreens {
  /** The shared editor of its Mapping page; absent: the form generated from `options`. */
  mapping?: ActionEditor;
  /** The shared editor of its Filters page; absent: the form generated from `options`. */
  filters?: ActionEditor;
  /** The connection page opens this action first (at most one per connector; none: the first action). */
  opensFirst?: boolean;
}

export interface ActionDefinition<S = any, O = any, T = any> {
  id: ActionId;
  displayName: string;
  kind: 'import' | 'export';
  description: string;
  /** The action's saved settings (mapping, filters, options); defaults allowed. */
  options: z.ZodType<O>;
  scheduleUnits: Array<'days' | 'hours'>;
  /** Exports: scheduled runs continue from the previous successful run's window end (no gap, no overlap). */
  windowed: boolean;
  supportsDryRun: boolean;
  /**
   * Incremental actions: the state kept between runs (a delta link, a modified-since cursor). A run reads
   * `rc.state.current` and stages the next with `rc.state.stage(next)`; the engine keeps it only when the run
   * succeeds (not a dry run), so a failed run is read again from the old state. Absent: every run is full.
   */
  state?: z.ZodType<T>;
  /** Which screens the shells show for it (see ActionScreens). */
  screens?: ActionScreens;
  /**
   * This action is the platform's user import (at most one per connector): Users > Import Log lists its runs
   * and `lmc import run` starts it.
   */
  userImport?: boolean;
  run(rc: RunContext<S, O, T>): Promise<void>;
}

export type ConnectorCategory = 'file-drop' | 'hr' | 'crm' | 'identity' | 'content' | 'virtual-classroom' | 'bi' | 'marketing' | 'commerce';

export interface ConnectorDefinition<S = any> {
  id: string;
  displayName: string;
  description: string;
  category: ConnectorCategory;
  /** Connection settings; secret fields wrapped in secret(). An API connector puts its auth kind's settings under `auth`. */
  settings: z.ZodType<S>;
  /** API connectors: how a connection signs in to the vendor (kit/auth); the engine keeps and renews its tokens. */
  auth?: AuthKind;
  /** API connectors: the vendor's API, for the client runs and tests get (`rc.http()`, `env.http()`). */
  http?: HttpCapability;
  /**
   * The connector's own actions. Shared actions are attached by capability (never listed here): a file drop
   * (`openFiles`) brings the file-drop imports and exports, `users` brings "Import Internal Users".
   */
  actions: ActionDefinition<S>[];
  /** Vendors that hold users (HR, CRM, identity): how to list their fields and read them (kit/user-source.ts). */
  users?: UserSourceCapability<S>;
  /**
   * Lists of values read from the vendor that settings fields offer (kit/vendor-choices.ts), by list name: a
   * field names one with `.meta(choicesFrom('list', { param: 'siblingField' }))` and the form offers the
   * answer of `GET /api/v1/connections/{id}/choices/{list}` (e.g. a Contact column's values in the org).
   */
  choices?: Record<string, VendorChoices<S>>;
  /**
   * At most one connection of this connector per account (e.g. the hosted SFTP login, which is one per
   * account: a second connection would rewrite it and read the same folder). A second one is refused.
   */
  onePerAccount?: boolean;
  /**
   * File drops over SFTP: "hosted" is the product's own SFTP service (the screens show the account's login,
   * its reset link and public keys), "remote" a server of the customer's (the screens show its pinned host key).
   */
  sftp?: 'hosted' | 'remote';
  /**
   * Checks the settings reach the system; never throws for a plain failure, returns ok:false + message.
   * `pending` says what is still to do before the connection can be used although it was reached (e.g. the
   * hosted SFTP login has no password or key yet): screens then never say it works.
   */
  testConnection(settings: S, env: ConnectorEnv): Promise<{ ok: boolean; message: string; pending?: string }>;
  /** Optional: on create/update (e.g. create the import/export folders). */
  onConnect?(settings: S, env: ConnectorEnv): Promise<void>;
  /** Optional: opens the connection's file drop (file-drop connectors). */
  openFiles?(settings: S, env: ConnectorEnv): Promise<FileSource>;
}

/**
 * How to call a vendor's API: its root (often from the connection, e.g. the org's domain), the vendor's
 * published limits, and what its quirks mean (errors in HTTP 200 bodies, session-expired codes).
 * @example http: { baseUrl: 'https://graph.microsoft.com/v1.0', limits: { concurrency: 4 }, classify: graphClassifier }
 */
export interface HttpCapability {
  baseUrl: FromConnection;
  limits?: LimitOptions;
  retry?: Partial<RetryPolicy>;
  classify?: Classifier;
  headers?: Record<string, string>;
  /** Extra CA certificates to trust (PEM), e.g. a private PKI; from the connection when it holds them. */
  ca?: FromConnection<string | undefined>;
}

/** What a connector's hooks receive besides its settings. */
export interface ConnectorEnv {
  accountId: number;
  /** 0 while testing settings of a connection not created yet. */
  connectionId: number;
  /** The product's data directory (key file, hosted drops). */
  dataDir: string;
  log: Logger;
  /** What the platform runs for file drops (connectors get no database): hosted SFTP, allowed folders, host keys. */
  drops: DropPorts;
  /**
   * Present while settings are checked before being saved (create, or update of the settings): registers
   * work to do once they are saved, given the connection's id (e.g. pin the SFTP host key seen during the
   * check, which must not be pinned for settings that end up refused).
   */
  afterSave?: (fn: (connectionId: number) => Promise<void>) => void;
  /** API connectors: a client of the vendor's API signed with the connection's credentials (throws for others). */
  http(): HttpClient;
}

/** The platform's file-drop services, bound to the connection's account (and connection). */
export interface DropPorts {
  /** The account's hosted SFTP login (Learning Manager FTP); fails when there is none yet. */
  hostedAccount(): Promise<HostedAccountView>;
  /** Creates the account's hosted SFTP login and folders for the person responsible, or updates that person. */
  ensureHostedAccount(email: string): Promise<HostedAccountView>;
  /** The port the hosted SFTP service listens on. */
  sftpPort: number;
  /** A folder of the server's disk, checked against the operator's allowed roots; its real path. */
  localRoot(root: string, opts?: { create?: boolean }): Promise<string>;
  /** Trust-on-first-use host keys of an SFTP server, pinned per connection (pinned on save when settings are being checked). */
  hostKeys(target: { host: string; port: number }): HostKeyPolicy;
  /** The connection's pinned host key, if one was pinned. */
  pinnedHostKey(): Promise<{ keyType: string; fingerprint: string } | undefined>;
  /** Whether the operator lets connectors reach private, loopback and link-local addresses (LMC_OUTBOUND_ALLOW_PRIVATE): all, none, or a list of hosts / networks. */
  outboundAllowPrivate: boolean | string[];
}

/** Declares a connector (the default export of src/connectors/<id>/manifest.ts). */
export function defineConnector<S>(c: ConnectorDefinition<S>): ConnectorDefinition<S> {
  checkActions(c.actions, `connector ${c.id}`);
  return c;
}

/**
 * Refuses a list of actions the shells could not choose from: an id twice, two user imports, two actions a
 * connection page would open first. Thrown when the manifest loads (the registry lists it as broken).
 */
export function checkActions(actions: ActionDefinition[], where: string): void {
  const ids = new Set<string>();
  for (const a of actions) {
    if (ids.has(a.id)) throw new Error(`${where}: action "${a.id}" is offered twice`);
    ids.add(a.id);
  }
  const twice = (what: string, pick: (a: ActionDefinition) => boolean | undefined) => {
    const found = actions.filter(pick).map((a) => a.id);
    if (found.length > 1) throw new Error(`${where}: ${found.join(' and ')} both declare ${what}; one action may`);
  };
  twice('userImport', (a) => a.userImport);
  twice('screens.opensFirst', (a) => a.screens?.opensFirst);
}

/** Declares an action; a connector lists it in its `actions`. */
export function defineAction<S, O, T = never>(a: ActionDefinition<S, O, T>): ActionDefinition<S, O, T> {
  return a;
}
