import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { isSecret } from '../kit/define-connector.ts';
import { ConnectionErrors } from './errors.ts';

/** How an encrypted secret sits in a connection's settings JSON. */
export interface SealedSecret {
  $enc: string;
}

const keyCache = new Map<string, Buffer>();

/**
 * The 32-byte key for secrets at rest: LMC_SECRET_KEY (base64 or hex), else <dataDir>/secret.key, created
 * on first use with mode 0600.
 */
export function secretKey(config: Config): Buffer {
  const cacheKey = config.secretKey ?? `file:${config.dataDir}`;
  const hit = keyCache.get(cacheKey);
  if (hit) return hit;
  let key: Buffer;
  if (config.secretKey) key = decodeKey(config.secretKey);
  else {
    const file = path.join(config.dataDir, 'secret.key');
    if (!fs.existsSync(file)) {
      fs.mkdirSync(config.dataDir, { recursive: true });
      try {
        fs.writeFileSync(file, crypto.randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // another process created it meanwhile
      }
    }
    key = decodeKey(fs.readFileSync(file, 'utf8').trim());
  }
  keyCache.set(cacheKey, key);
  return key;
}

function decodeKey(s: string): Buffer {
  const k = /^[0-9a-fA-F]{64}$/.test(s) ? Buffer.from(s, 'hex') : Buffer.from(s, 'base64');
  if (k.length !== 32) throw ConnectionErrors.SECRET_KEY.create('the key must be 32 bytes, base64 or hex');
  return k;
}

/** AES-256-GCM: "v1:<iv>:<tag>:<ciphertext>", base64 parts. The connection id is bound as associated data. */
export function encryptSecret(key: Buffer, plain: string, aad: string): SealedSecret {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([c.update(JSON.stringify(plain), 'utf8'), c.final()]);
  return { $enc: ['v1', iv.toString('base64'), c.getAuthTag().toString('base64'), ct.toString('base64')].join(':') };
}

export function decryptSecret(key: Buffer, sealed: SealedSecret, aad: string): unknown {
  const [v, iv, tag, ct] = sealed.$enc.split(':');
  if (v !== 'v1') throw ConnectionErrors.DECRYPT.create(`unknown format ${v}`);
  try {
    const d = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
    d.setAAD(Buffer.from(aad));
    d.setAuthTag(Buffer.from(tag, 'base64'));
    return JSON.parse(Buffer.concat([d.update(Buffer.from(ct, 'base64')), d.final()]).toString('utf8'));
  } catch (e) {
    throw ConnectionErrors.DECRYPT.create({ cause: e });
  }
}

export const isSealed = (v: unknown): v is SealedSecret => typeof v === 'object' && v !== null && typeof (v as SealedSecret).$enc === 'string';

const WRAPPERS = ['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'];

/** Array elements in a secret path: `['servers', EACH, 'password']` is every server's password. */
export const EACH = '*';

type Def = { type: string; innerType?: z.ZodTypeAny; element?: z.ZodTypeAny; options?: z.ZodTypeAny[]; in?: z.ZodTypeAny; getter?: () => z.ZodTypeAny };

/**
 * Paths of the fields marked secret() in a settings schema. Objects, arrays (segment `*`), unions and
 * discriminated unions (every option: an auth kind's secrets sit in one branch of a union) and pipes are
 * walked. E.g. [['password'], ['auth', 'clientSecret'], ['servers', '*', 'password']].
 */
export function secretPaths(schema: z.ZodTypeAny, prefix: string[] = [], depth = 0): string[][] {
  if (depth > 32) return []; // a recursive (lazy) schema: secrets this deep are not supported
  if (isSecret(schema)) return [prefix];
  const def = (schema as unknown as { def: Def }).def;
  const walk = (s: z.ZodTypeAny | undefined, p = prefix) => (s ? secretPaths(s, p, depth + 1) : []);
  if (WRAPPERS.includes(def.type)) return walk(def.innerType);
  if (schema instanceof z.ZodObject) return Object.entries(schema.shape as Record<string, z.ZodTypeAny>).flatMap(([k, v]) => walk(v, [...prefix, k]));
  if (def.type === 'array') return walk(def.element, [...prefix, EACH]);
  if (def.type === 'pipe') return walk(def.in);
  if (def.type === 'lazy' && def.getter) return walk(def.getter());
  if (def.type === 'union') {
    const seen = new Map<string, string[]>();
    for (const o of def.options ?? []) for (const p of walk(o)) seen.set(JSON.stringify(p), p);
    return [...seen.values()];
  }
  return [];
}

/** Calls fn at every place of `o` that path reaches (arrays expanded), with the concrete path and the value there. */
function visit(o: unknown, p: string[], fn: (parent: Record<string, unknown>, key: string, at: string[]) => void, at: string[] = []): void {
  if (!o || typeof o !== 'object') return;
  const [head, ...rest] = p;
  if (head === EACH) {
    if (Array.isArray(o)) o.forEach((item, i) => visit(item, rest, fn, [...at, String(i)]));
    return;
  }
  if (Array.isArray(o)) return;
  const rec = o as Record<string, unknown>;
  if (rest.length === 0) fn(rec, head, [...at, head]);
  else visit(rec[head], rest, fn, [...at, head]);
}

function getAt(o: unknown, p: string[]): unknown {
  return p.reduce<unknown>((acc, k) => (acc && typeof acc === 'object' ? (acc as Record<string, unknown>)[k] : undefined), o);
}

const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

/** Replaces every secret value of validated settings by its encrypted form. */
export function sealSettings(key: Buffer, schema: z.ZodTypeAny, settings: Record<string, unknown>, aad: string): Record<string, unknown> {
  const out = clone(settings);
  for (const p of secretPaths(schema)) {
    visit(out, p, (parent, k) => {
      const v = parent[k];
      if (v !== undefined && v !== null && !isSealed(v)) parent[k] = encryptSecret(key, v as string, aad);
    });
  }
  return out;
}

/** The settings with secrets decrypted (for the connector only; never returned or logged). */
export function openSettings(key: Buffer, schema: z.ZodTypeAny, stored: Record<string, unknown>, aad: string): Record<string, unknown> {
  const out = clone(stored);
  for (const p of secretPaths(schema)) {
    visit(out, p, (parent, k) => {
      const v = parent[k];
      if (isSealed(v)) parent[k] = decryptSecret(key, v, aad);
    });
  }
  return out;
}

/** The settings as the API shows them: secrets removed, and which secrets are set (by concrete path, e.g. "servers.0.password"). */
export function publicSettings(schema: z.ZodTypeAny, stored: Record<string, unknown>): { settings: Record<string, unknown>; secrets: Record<string, boolean> } {
  const out = clone(stored);
  const secrets: Record<string, boolean> = {};
  for (const p of secretPaths(schema)) {
    visit(out, p, (parent, k, at) => {
      const v = parent[k];
      secrets[at.join('.')] = v !== undefined && v !== null && v !== '';
      delete parent[k];
    });
    // A secret under an object the settings do not hold is reported unset (list items are reported by position).
    if (!p.includes(EACH)) secrets[p.join('.')] ??= false;
  }
  return { settings: out, secrets };
}

/**
 * An update's settings: what the client sent over what was stored; a secret not resent (absent, null or
 * `{ set: true }`) keeps its stored value (in a list: the stored value at the same position).
 */
export function mergeSettingsForUpdate(schema: z.ZodTypeAny, storedOpen: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out = { ...clone(storedOpen), ...clone(patch) };
  for (const p of secretPaths(schema)) {
    visit(out, p, (parent, k, at) => {
      const sent = parent[k];
      const keep = sent === undefined || sent === null || (typeof sent === 'object' && (sent as { set?: unknown }).set === true);
      if (!keep) return;
      const stored = getAt(storedOpen, at);
      if (stored === undefined) delete parent[k];
      else parent[k] = stored;
    });
  }
  // A secret carried into an object of another union branch (the auth kind changed) is not that branch's: the
  // schema strips it. Invalid settings are returned as they are, for validation to name what is wrong.
  const parsed = schema.safeParse(out);
  return parsed.success ? (parsed.data as Record<string, unknown>) : out;
}
