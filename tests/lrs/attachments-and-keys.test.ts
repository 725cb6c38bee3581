import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../helpers/api.ts';
import { parseMultipart, boundaryOf } from '../../src/lrs/multipart.ts';
import { startLrs, statement, type LrsHarness } from './lrs-server.ts';

let h: LrsHarness;
beforeAll(async () => {
  h = await startLrs();
});
afterAll(async () => {
  await h?.close();
});

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const sha256 = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex');

/** A multipart/mixed body: the statements as JSON, then each part with its hash header. */
function multipart(statements: unknown, parts: Array<{ content: Buffer; contentType: string; hash?: string; cte?: string | null }>) {
  const b = `b${crypto.randomUUID()}`;
  const chunks: Buffer[] = [Buffer.from(`--${b}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(statements)}\r\n`)];
  for (const p of parts) {
    const cte = p.cte === null ? '' : `Content-Transfer-Encoding: ${p.cte ?? 'binary'}\r\n`;
    chunks.push(Buffer.from(`--${b}\r\nContent-Type: ${p.contentType}\r\n${cte}X-Experience-API-Hash: ${p.hash ?? sha256(p.content)}\r\n\r\n`), p.content, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${b}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/mixed; boundary=${b}` };
}

function attachment(content: Buffer, over: Record<string, unknown> = {}) {
  return { usageType: 'http://example.com/usage/certificate', display: { 'en-US': 'certificate' }, contentType: 'text/plain', length: content.length, sha2: sha256(content), ...over };
}

const post = (body: Buffer | string, contentType: string) => h.raw('/statements', { method: 'POST', body: body as BodyInit, headers: { 'Content-Type': contentType } });

/** Signs a statement as xAPI Data 2.6 describes: a compact JWS of the statement, x5c with the signer's cert. */
function sign(s: Record<string, unknown>, alg: 'RS256' | 'RS384' | 'RS512' | 'HS256' = 'RS256', tamper?: Record<string, unknown>) {
  const key = fs.readFileSync(path.join(fixtures, 'signer-key.pem'), 'utf8');
  const cert = new crypto.X509Certificate(fs.readFileSync(path.join(fixtures, 'signer-cert.pem')));
  const header = Buffer.from(JSON.stringify({ alg, x5c: [cert.raw.toString('base64')] })).toString('base64url');
  const payload = Buffer.from(JSON.stringify({ ...s, ...tamper })).toString('base64url');
  const hash = { RS256: 'RSA-SHA256', RS384: 'RSA-SHA384', RS512: 'RSA-SHA512', HS256: 'RSA-SHA256' }[alg];
  const sig = crypto.sign(hash, Buffer.from(`${header}.${payload}`), key).toString('base64url');
  const jws = Buffer.from(`${header}.${payload}.${sig}`);
  const signed = { ...s, attachments: [attachment(jws, { usageType: 'http://adlnet.gov/expapi/attachments/signature', contentType: 'application/octet-stream' })] };
  return multipart(signed, [{ content: jws, contentType: 'application/octet-stream' }]);
}

describe('xAPI attachments, signed statements and LRS keys', () => {
  it('stores attachment parts by hash and returns them with attachments=true (via @xapi/xapi too)', async () => {
    const content = Buffer.from('certificate of completion\n');
    const id = crypto.randomUUID();
    const mp = multipart(statement({ id, attachments: [attachment(content)] }), [{ content, contentType: 'text/plain' }]);
    expect((await post(mp.body, mp.contentType)).status).toBe(200);
    const res = await h.raw(`/statements?statementId=${id}&attachments=true`);
    const ct = res.headers.get('content-type')!;
    expect(ct).toMatch(/^multipart\/mixed/);
    const parts = parseMultipart(Buffer.from(await res.arrayBuffer()), boundaryOf(ct)!);
    expect(JSON.parse(parts[0].body.toString()).id).toBe(id);
    expect(parts[1].headers['x-experience-api-hash']).toBe(sha256(content));
    expect(parts[1].body.equals(content)).toBe(true);
    // without attachments=true: JSON only
    expect((await h.raw(`/statements?statementId=${id}`)).headers.get('content-type')).toMatch(/^application\/json/);
    // the @xapi/xapi client's own multipart encoding is accepted (its fetch adapter: with axios in Node the
    // Blob body goes out as application/octet-stream, which is not an xAPI content type)
    const viaClient = await h.xapi('2.0.0', undefined, 'fetch').sendStatement({ statement: statement({ attachments: [attachment(content)] }) as never, attachments: [new Uint8Array(content).buffer as ArrayBuffer] });
    expect(viaClient.status).toBe(200);
  });

  it('rejects attachment requests that break the multipart rules', async () => {
    const content = Buffer.from('hello');
    const s = statement({ attachments: [attachment(content)] });
    expect((await post(JSON.stringify(s), 'application/json')).status).toBe(400); // content missing
    const fileUrl = statement({ attachments: [attachment(content, { fileUrl: 'http://example.com/hello.txt' })] });
    expect((await post(JSON.stringify(fileUrl), 'application/json')).status).toBe(200);
    const cases = [
      multipart(s, [{ content, contentType: 'text/plain', hash: sha256('other') }]),
      multipart(s, [{ content, contentType: 'text/plain', cte: 'base64' }]),
      multipart(s, [{ content, contentType: 'text/plain' }, { content: Buffer.from('extra'), contentType: 'text/plain' }]),
    ];
    for (const c of cases) expect((await post(c.body, c.contentType)).status).toBe(400);
    const formData = multipart(s, [{ content, contentType: 'text/plain' }]);
    expect((await post(formData.body, formData.contentType.replace('mixed', 'form-data'))).status).toBe(400);
  });

  it('verifies signed statements: RS256/384/512 against the x5c certificate; other algorithms and tampered payloads are 400', async () => {
    for (const alg of ['RS256', 'RS384', 'RS512'] as const) {
      const mp = sign(statement({ id: crypto.randomUUID() }), alg);
      expect((await post(mp.body, mp.contentType)).status, alg).toBe(200);
    }
    const hs = sign(statement(), 'HS256');
    expect((await post(hs.body, hs.contentType)).status).toBe(400);
    const tampered = sign(statement(), 'RS256', { verb: { id: 'http://example.com/verbs/other' } });
    const r = await post(tampered.body, tampered.contentType);
    expect(r.status).toBe(400);
    expect((await r.json()).error.message).toMatch(/payload/);
  });

  it('manages LRS keys through the API: read-only keys cannot write, revoked keys stop working', async () => {
    const api = apiClient(h.app, h.token);
    const ro = (await api.post('/api/v1/lrs-credentials', { name: 'dashboard', scopes: ['read'] })).data;
    expect(ro.secret).toBeTruthy();
    const list = (await api.get('/api/v1/lrs-credentials')).data as Array<Record<string, unknown>>;
    expect(list.map((k) => k.name)).toEqual(['tests', 'dashboard']);
    expect(JSON.stringify(list)).not.toContain(ro.secret);
    const auth = 'Basic ' + Buffer.from(`${ro.key}:${ro.secret}`).toString('base64');
    expect((await h.raw('/statements', { auth })).status).toBe(200);
    const write = await h.raw('/statements', { auth, method: 'POST', body: JSON.stringify(statement()), headers: { 'Content-Type': 'application/json' } });
    expect(write.status).toBe(403);
    expect((await api.delete(`/api/v1/lrs-credentials/${ro.id}`)).statusCode).toBe(204);
    expect((await h.raw('/statements', { auth })).status).toBe(401);
    expect((await api.delete(`/api/v1/lrs-credentials/${ro.id}`)).statusCode).toBe(404);
    // keys belong to one account: another account's token does not see them
    const stored = await h.ctx.db.selectFrom('lrs_credentials').select('secret_hash').where('id', '=', ro.id).executeTakeFirstOrThrow();
    expect(stored.secret_hash).not.toContain(ro.secret);
  });

  it('manages LRS keys with the CLI (lmc lrs key create/list/revoke)', async () => {
    const lmc = (...args: string[]) =>
      new Promise<string>((resolve, reject) =>
        execFile('node', ['bin/lmc.js', ...args], { env: { ...process.env, DATABASE_URL: h.ctx.dbUrl, LMC_DATA_DIR: h.ctx.config.dataDir, LMC_LOG_LEVEL: 'silent' }, timeout: 60_000 }, (e, out, err) =>
          e ? reject(new Error(err || e.message)) : resolve(out),
        ),
      );
    const account = (await h.ctx.db.selectFrom('lrs_credentials').select('account_id').executeTakeFirstOrThrow()).account_id;
    const created = JSON.parse(await lmc('--json', 'lrs', 'key', 'create', '--name', 'cli', '--scope', 'read', '--account', String(account)));
    expect(created).toMatchObject({ name: 'cli', scopes: ['read'] });
    const auth = 'Basic ' + Buffer.from(`${created.key}:${created.secret}`).toString('base64');
    expect((await h.raw('/statements', { auth })).status).toBe(200);
    const listed = JSON.parse(await lmc('--json', 'lrs', 'key', 'list', '--account', String(account))) as Array<{ key: string; secret?: string }>;
    expect(listed.map((k) => k.key)).toContain(created.key);
    expect(listed.every((k) => k.secret === undefined)).toBe(true);
    expect(await lmc('lrs', 'key', 'revoke', String(created.id), '--account', String(account))).toMatch(/revoked/);
    await expect(lmc('lrs', 'key', 'create', '--scope', 'admin', '--account', String(account))).rejects.toThrow(/LMC_ERR_COMMON_VALIDATION/);
  });
});
