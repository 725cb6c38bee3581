import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { buildApi, createAccountWithToken } from '../helpers/api.ts';
import type { Api } from '../../src/api/types.ts';
import { openAppContext, type AppContext } from '../../src/app-context.ts';
import { hashPassword } from '../../src/shared/passwords.ts';

// Issue 13, point 5: 60 wrong API sign-ins, then the right one worked; and the answer's time told whether an
// email exists (42 ms against 2 ms). Replayed through the real API on a real database, default limits
// (5 failures per user, 20 per address, a 30 s lock doubling per further failure).

let ctx: TestContext;
let app: Api;
let accountId: number;
const logLines: Array<Record<string, unknown>> = [];
const PASSWORD = 'the right password';

async function addUser(email: string) {
  await ctx.db.insertInto('users').values({ account_id: accountId, email, name: email, roles: ['learner'], password_hash: await hashPassword(PASSWORD) }).execute();
}

async function signIn(email: string, password: string, address = '127.0.0.1', on: Api = app) {
  const r = await on.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password }, remoteAddress: address });
  return { status: r.statusCode, retryAfter: r.headers['retry-after'] === undefined ? undefined : Number(r.headers['retry-after']), body: r.json() };
}

/** Moves a key's lock (and last failure) into the past, as if its time had passed. */
async function expireLock(key: string) {
  await sql`update sign_in_throttle set locked_until = now() - interval '1 second' where key = ${key}`.execute(ctx.db);
}

beforeAll(async () => {
  ctx = await createTestContext();
  // The failures' log lines, as an operator (or fail2ban) would read them.
  const sink = new Writable({ write: (chunk, _enc, cb) => { logLines.push(JSON.parse(String(chunk))); cb(); } });
  (ctx as { log: AppContext['log'] }).log = pino({ level: 'warn' }, sink);
  app = await buildApi(ctx);
  accountId = (await createAccountWithToken(ctx)).account.id;
});
afterAll(async () => {
  await app?.close();
  await ctx?.destroy();
});

describe('sign-in throttling', () => {
  it('60 wrong passwords lock the user: the right one then answers 429 with Retry-After, until the lock ends', async () => {
    await addUser('victim@acme.test');
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await signIn('victim@acme.test', `guess ${i}`, `10.1.0.${i}`)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(new Set(statuses.slice(5))).toEqual(new Set([429]));
    const right = await signIn('Victim@acme.test', PASSWORD, '10.1.1.1');
    expect(right.status).toBe(429);
    expect(right.body.error).toMatchObject({ code: 'LMC_ERR_AUTH_THROTTLED', retryable: true });
    expect(right.retryAfter).toBeGreaterThan(0);
    expect(right.retryAfter).toBeLessThanOrEqual(30);
    // once the lock has passed, a further failure locks for twice as long (backoff)...
    await expireLock('user:victim@acme.test');
    expect((await signIn('victim@acme.test', 'one more guess', '10.1.1.2')).status).toBe(401);
    const backoff = await signIn('victim@acme.test', PASSWORD, '10.1.1.3');
    expect(backoff.status).toBe(429);
    expect(backoff.retryAfter).toBeGreaterThan(30);
    expect(backoff.retryAfter).toBeLessThanOrEqual(60);
    // ...and the right password works again after it
    await expireLock('user:victim@acme.test');
    expect((await signIn('victim@acme.test', PASSWORD, '10.1.1.4')).status).toBe(200);
    // a success starts the user's count again: 4 failures do not lock
    for (let i = 0; i < 4; i++) expect((await signIn('victim@acme.test', 'typo', '10.1.1.5')).status).toBe(401);
    expect((await signIn('victim@acme.test', PASSWORD, '10.1.1.5')).status).toBe(200);
  });

  it('a burst of parallel guesses is counted too (no slipping between check and count)', async () => {
    await addUser('burst@acme.test');
    const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn('burst@acme.test', `guess ${i}`, `10.2.0.${i}`)));
    expect(rs.filter((r) => r.status === 401)).toHaveLength(5);
    expect(rs.filter((r) => r.status === 429)).toHaveLength(15);
  });

  it('one address trying many emails is locked too; other addresses are not', async () => {
    await addUser('bystander@acme.test');
    for (let i = 0; i < 20; i++) expect((await signIn(`spray${i}@acme.test`, 'Winter2026!', '10.3.0.1')).status).toBe(401);
    const locked = await signIn('bystander@acme.test', PASSWORD, '10.3.0.1');
    expect(locked.status).toBe(429);
    expect(locked.retryAfter).toBeGreaterThan(0);
    expect((await signIn('bystander@acme.test', PASSWORD, '10.3.0.2')).status).toBe(200);
  });

  it('unknown emails are locked like known ones (the answer does not tell which exist)', async () => {
    const rs = [];
    for (let i = 0; i < 7; i++) rs.push((await signIn('nobody@acme.test', `guess ${i}`, `10.4.0.${i}`)).status);
    expect(rs).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it('takes as long for an unknown email as for a wrong password', async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 7; i++) {
      await addUser(`timed${i}@acme.test`);
      let t = performance.now();
      expect((await signIn(`timed${i}@acme.test`, 'wrong', `10.5.0.${i}`)).status).toBe(401);
      known.push(performance.now() - t);
      t = performance.now();
      expect((await signIn(`ghost${i}@acme.test`, 'wrong', `10.5.1.${i}`)).status).toBe(401);
      unknown.push(performance.now() - t);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    // The password hash dominates both (tens of ms); without it an unknown email answers in a few.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.6);
  });

  it('logs each failure and refusal with the email and the address, never the password', async () => {
    const failed = logLines.filter((l) => l.msg === 'sign-in failed: wrong email or password');
    expect(failed).toContainEqual(expect.objectContaining({ email: 'victim@acme.test', address: '10.1.0.0', level: 40 }));
    expect(logLines).toContainEqual(expect.objectContaining({ msg: 'sign-in refused: too many failures', email: 'victim@acme.test', address: '10.1.1.1' }));
    expect(JSON.stringify(logLines)).not.toContain('guess 0');
  });

  it('holds across API servers: the counts live in the database', async () => {
    await addUser('shared@acme.test');
    const other = await openAppContext({ config: ctx.config, dbUrl: ctx.dbUrl, log: pino({ level: 'silent' }) });
    const second = await buildApi(other);
    try {
      for (let i = 0; i < 5; i++) expect((await signIn('shared@acme.test', 'guess', `10.6.0.${i}`, i % 2 ? app : second)).status).toBe(401);
      expect((await signIn('shared@acme.test', PASSWORD, '10.6.1.1', second)).status).toBe(429);
      expect((await signIn('shared@acme.test', PASSWORD, '10.6.1.1', app)).status).toBe(429);
    } finally {
      await second.close();
      await other.close();
    }
  });
});
