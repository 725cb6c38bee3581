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

function unwrap(s: z.ZodTypeAny): z.ZodTypeAny {
  let cur = s;
  for (let i = 0; i < 10; i++) {
    const def = (cur as unknown as { def: { type: string; innerType?: z.ZodTypeAny } }).def;
    if (['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(def.type) && def.innerType) cur = def.innerType;
    else break;
  }
  return cur;
}

/** Paths of the fields marked secret() in a settings schema (objects are walked; e.g. [['auth','password']]). */
export function secretPaths(schema: z.ZodTypeAny, prefix: string[] = []): string[][] {
  if (isSecret(schema)) return [prefix];
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) {
    return Object.entries(inner.shape as Record<string, z.ZodTypeAny>).flatMap(([k, v]) => secretPaths(v, [...prefix, k]));
  }
  return [];
}

function getAt(o: unknown, p: string[]): unknown {
  return p.reduce<unknown>((acc, k) => (acc && typeof acc === 'object' ? (acc as Record<string, unknown>)[k] : undefined), o);
}

function setAt(o: Record<string, unknown>, p: string[], v: unknown): void {
  let cur = o;
  for (const k of p.slice(0, -1)) {
    if (!cur[k] || typeof cur[k] !== 'object') cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  if (v === undefined) delete cur[p[p.length - 1]];
  else cur[p[p.length - 1]] = v;
}

const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

/** Replaces every secret value of validated settings by its encrypted form. */
export function sealSettings(key: Buffer, schema: z.ZodTypeAny, settings: Record<string, unknown>, aad: string): Record<string, unknown> {
  const out = clone(settings);
  for (const p of secretPaths(schema)) {
    const v = getAt(out, p);
    if (v !== undefined && v !== null && !isSealed(v)) setAt(out, p, encryptSecret(key, v as string, aad));
  }
  return out;
}

/** The settings with secrets decrypted (for the connector only; never returned or logged). */
export function openSettings(key: Buffer, schema: z.ZodTypeAny, stored: Record<string, unknown>, aad: string): Record<string, unknown> {
  const out = clone(stored);
  for (const p of secretPaths(schema)) {
    const v = getAt(out, p);
    if (isSealed(v)) setAt(out, p, decryptSecret(key, v, aad));
  }
  return out;
}

/** The settings as the API shows them: secrets removed, and which secrets are set. */
export function publicSettings(schema: z.ZodTypeAny, stored: Record<string, unknown>): { settings: Record<string, unknown>; secrets: Record<string, boolean> } {
  const out = clone(stored);
  const secrets: Record<string, boolean> = {};
  for (const p of secretPaths(schema)) {
    const v = getAt(out, p);
    secrets[p.join('.')] = v !== undefined && v !== null && v !== '';
    setAt(out, p, undefined);
  }
  return { settings: out, secrets };
}

/**
 * An update's settings: what the client sent over what was stored; a secret not resent (absent, null or
 * `{ set: true }`) keeps its stored value.
 */
export function mergeSettingsForUpdate(schema: z.ZodTypeAny, storedOpen: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out = { ...clone(storedOpen), ...clone(patch) };
  for (const p of secretPaths(schema)) {
    const sent = getAt(patch, p);
    const keep = sent === undefined || sent === null || (typeof sent === 'object' && (sent as { set?: unknown }).set === true);
    if (keep) setAt(out, p, getAt(storedOpen, p));
  }
  return out;
}
