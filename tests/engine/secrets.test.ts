import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { secret } from '../../src/kit/define-connector.ts';
import { settingsJsonSchema } from '../../src/engine/registry.ts';
import { decryptSecret, encryptSecret, mergeSettingsForUpdate, openSettings, publicSettings, sealSettings, secretKey, secretPaths } from '../../src/engine/secrets.ts';

describe('secrets at rest', () => {
  it('creates <dataDir>/secret.key once, readable by its owner only', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmc-key-'));
    const k1 = secretKey(loadConfig({ LMC_DATA_DIR: dataDir }));
    expect(k1).toHaveLength(32);
    const st = fs.statSync(path.join(dataDir, 'secret.key'));
    expect(st.mode & 0o777).toBe(0o600);
    expect(secretKey(loadConfig({ LMC_DATA_DIR: dataDir })).equals(k1)).toBe(true);
    expect(() => secretKey(loadConfig({ LMC_SECRET_KEY: 'dG9vLXNob3J0' }))).toThrow(/32 bytes/);
  });

  it('encrypts with AES-256-GCM: tampering or another account fails', () => {
    const key = secretKey(loadConfig({ LMC_SECRET_KEY: 'a'.repeat(64) }));
    const sealed = encryptSecret(key, 'p@ss', 'account:1');
    expect(sealed.$enc).not.toContain('p@ss');
    expect(decryptSecret(key, sealed, 'account:1')).toBe('p@ss');
    expect(() => decryptSecret(key, sealed, 'account:2')).toThrow(/decrypted/);
    const parts = sealed.$enc.split(':');
    parts[3] = Buffer.from('x' + Buffer.from(parts[3], 'base64').toString('latin1'), 'latin1').toString('base64');
    expect(() => decryptSecret(key, { $enc: parts.join(':') }, 'account:1')).toThrow(/decrypted/);
  });

  it('seals, opens, hides and keeps secrets found from the zod schema', () => {
    const schema = z.object({ host: z.string(), password: secret(z.string()), oauth: z.object({ clientId: z.string(), clientSecret: secret(z.string()).optional() }) });
    expect(secretPaths(schema)).toEqual([['password'], ['oauth', 'clientSecret']]);
    const key = secretKey(loadConfig({ LMC_SECRET_KEY: 'b'.repeat(64) }));
    const plain = { host: 'h', password: 'pw1', oauth: { clientId: 'c', clientSecret: 'cs1' } };
    const sealed = sealSettings(key, schema, plain, 'account:1');
    expect(JSON.stringify(sealed)).not.toMatch(/pw1|cs1/);
    expect(openSettings(key, schema, sealed, 'account:1')).toEqual(plain);
    expect(publicSettings(schema, sealed)).toEqual({ settings: { host: 'h', oauth: { clientId: 'c' } }, secrets: { password: true, 'oauth.clientSecret': true } });
    const merged = mergeSettingsForUpdate(schema, plain, { host: 'h2', password: { set: true }, oauth: { clientId: 'c2' } });
    expect(merged).toEqual({ host: 'h2', password: 'pw1', oauth: { clientId: 'c2', clientSecret: 'cs1' } });
  });

  it('finds secrets inside union branches and lists: sealed at rest, never shown, kept when not resent', () => {
    // An auth kind's secrets sit in one branch of a discriminated union; a connection may hold a list of servers.
    const auth = z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('basic'), user: z.string(), password: secret(z.string()) }),
      z.object({ kind: z.literal('oauth'), clientId: z.string(), clientSecret: secret(z.string()), scopes: z.array(z.string()).default([]) }),
      z.object({ kind: z.literal('none') }),
    ]);
    const schema = z.object({ name: z.string(), auth, servers: z.array(z.object({ host: z.string(), password: secret(z.string()).optional() })).default([]) });
    expect(secretPaths(schema)).toEqual([['auth', 'password'], ['auth', 'clientSecret'], ['servers', '*', 'password']]);
    const key = secretKey(loadConfig({ LMC_SECRET_KEY: 'c'.repeat(64) }));
    const plain = { name: 'n', auth: { kind: 'oauth', clientId: 'ci', clientSecret: 'cs-42', scopes: ['User.Read.All'] }, servers: [{ host: 'a', password: 'pw-a' }, { host: 'b' }] };
    const sealed = sealSettings(key, schema, plain, 'account:1');
    expect(JSON.stringify(sealed)).not.toMatch(/cs-42|pw-a/);
    expect(openSettings(key, schema, sealed, 'account:1')).toEqual(plain);
    expect(publicSettings(schema, sealed)).toEqual({
      settings: { name: 'n', auth: { kind: 'oauth', clientId: 'ci', scopes: ['User.Read.All'] }, servers: [{ host: 'a' }, { host: 'b' }] },
      secrets: { 'auth.password': false, 'auth.clientSecret': true, 'servers.0.password': true, 'servers.1.password': false },
    });
    const merged = mergeSettingsForUpdate(schema, plain, { auth: { kind: 'oauth', clientId: 'ci2' }, servers: [{ host: 'a2', password: { set: true } }, { host: 'b', password: 'pw-b' }] });
    expect(merged).toEqual({ name: 'n', auth: { kind: 'oauth', clientId: 'ci2', clientSecret: 'cs-42', scopes: [] }, servers: [{ host: 'a2', password: 'pw-a' }, { host: 'b', password: 'pw-b' }] });
    // Switching the auth kind does not carry the other kind's secret over.
    expect(mergeSettingsForUpdate(schema, plain, { auth: { kind: 'basic', user: 'u', password: 'p' } }).auth).toEqual({ kind: 'basic', user: 'u', password: 'p' });
    // Forms see the secrets as write-only wherever they sit.
    const js = JSON.stringify(settingsJsonSchema(schema));
    expect(js.match(/"secret":true,"writeOnly":true/g)).toHaveLength(3);
  });
});
