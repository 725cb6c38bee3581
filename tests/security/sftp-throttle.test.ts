import net from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/platform/accounts.ts';
import { createResetToken, ensureHostedAccount, resetHostedPassword } from '../../src/kit/file-sources/hosted-drop.ts';
import { redactPaths } from '../../src/shared/logger.ts';
import { startSftpServer, type RunningSftpServer } from '../../src/sftp-server/server.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { runSftp } from '../file-drops/helpers/openssh.ts';

let ctx: TestContext;
let server: RunningSftpServer;
let acme: { id: number; slug: string };
const PASSWORD = 'correct horse battery staple';
const WRONG = 'Tr0ub4dor&3-wrong';
const LOCK_MS = 10_000;
/** What the service logged, one object per line. */
const lines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  ctx = await createTestContext();
  acme = await createAccount(ctx.db, { name: 'Acme Throttle' });
  await ensureHostedAccount(ctx.db, ctx.config.dataDir, acme.id, 'ops@acme.test');
  const { token } = await createResetToken(ctx.db, acme.id);
  await resetHostedPassword(ctx.db, token, PASSWORD);
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  const log = pino({ level: 'info', redact: { paths: redactPaths, censor: '[redacted]' } }, sink);
  server = await startSftpServer({
    db: ctx.db, dataDir: ctx.config.dataDir, log, host: '127.0.0.1', port: 0,
    limits: { userFreeFailures: 2, addressFreeFailures: 4, backoffMs: LOCK_MS, backoffMaxMs: LOCK_MS, failureDelayMs: 300, failureDelayMaxMs: 500, graceMs: 1_500, maxPendingPerAddress: 3 },
  });
});
afterAll(async () => {
  await server?.stop();
  await ctx?.destroy();
});

/** One sftp login attempt from a given loopback address (Linux routes all of 127/8 to lo). */
const attempt = (from: string, password: string, user = acme.slug) =>
  runSftp({ port: server.port, user, password, commands: ['pwd'], options: [`BindAddress=${from}`] });
const ok = (r: { code: number; stdout: string }) => r.code === 0 && r.stdout.includes('Remote working directory');

describe('hosted SFTP: brute-force throttling (issue 13, point 5)', () => {
  it('locks a login after a few wrong passwords from anywhere: the right one is refused until the lock ends', async () => {
    for (const from of ['127.0.0.11', '127.0.0.12']) expect(ok(await attempt(from, WRONG))).toBe(false);
    expect(ok(await attempt('127.0.0.13', WRONG))).toBe(false); // over the free failures: locked
    const lockedAt = Date.now();
    const t0 = Date.now();
    const refused = await attempt('127.0.0.14', PASSWORD);
    expect(ok(refused), refused.stdout + refused.stderr).toBe(false);
    expect(refused.stderr).toMatch(/Permission denied/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(500); // the refusal was held back
    // After the lock, the right password works again.
    let worked = false;
    for (let i = 0; i < 40 && !worked; i++) {
      const r = await attempt('127.0.0.14', PASSWORD);
      worked = ok(r);
      if (!worked) await new Promise((res) => setTimeout(res, 500));
    }
    expect(worked).toBe(true);
    expect(Date.now() - lockedAt).toBeGreaterThanOrEqual(LOCK_MS - 1_000);
  }, 120_000);

  it('locks an address that guesses many logins, and only that address', async () => {
    for (let i = 1; i <= 5; i++) expect(ok(await attempt('127.0.0.21', WRONG, `ghost-${i}`))).toBe(false);
    expect(ok(await attempt('127.0.0.21', PASSWORD))).toBe(false);
    const elsewhere = await attempt('127.0.0.22', PASSWORD);
    expect(ok(elsewhere), elsewhere.stdout + elsewhere.stderr).toBe(true);
  }, 120_000);

  it('logs every failed login with the login name and the address, never the password', () => {
    const failed = lines.filter((l) => l.msg === 'sftp login failed');
    expect(failed).toEqual(expect.arrayContaining([expect.objectContaining({ username: acme.slug, ip: '127.0.0.11', method: 'password', level: 40 })]));
    expect(failed.filter((l) => l.ip === '127.0.0.21').map((l) => l.username)).toEqual(['ghost-1', 'ghost-2', 'ghost-3', 'ghost-4', 'ghost-5']);
    expect(lines.some((l) => l.msg === 'sftp login refused: too many failed logins for this login or address' && l.ip === '127.0.0.14')).toBe(true);
    expect(JSON.stringify(lines)).not.toContain(WRONG);
    expect(JSON.stringify(lines)).not.toContain(PASSWORD);
  });

  it('closes idle connections that never log in, and refuses more than a few at once from one address', async () => {
    const opened = Date.now();
    const closedAfter = await Promise.all(
      Array.from({ length: 6 }, () =>
        new Promise<number>((resolve) => {
          const s = net.connect({ port: server.port, host: '127.0.0.1', localAddress: '127.0.0.31' });
          s.on('error', () => undefined);
          s.resume(); // read (the server's greeting), so the client sees when the server closes
          s.on('close', () => resolve(Date.now() - opened));
          s.setTimeout(20_000, () => s.destroy()); // the test's own limit: a server that never closes fails below
        }),
      ),
    );
    closedAfter.sort((a, b) => a - b);
    expect(closedAfter[5]).toBeLessThan(15_000); // the grace time (1.5 s here) closed even the quiet ones
    expect(closedAfter[2]).toBeLessThan(1_500); // three over the limit were refused at once
    expect(lines.some((l) => String(l.msg).startsWith('sftp connection refused: too many connections') && l.ip === '127.0.0.31')).toBe(true);
  }, 60_000);
});
