import fs from 'node:fs/promises';
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serveComponents } from '../../src/server/components.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ LMC_SFTP_PORT: '0' });
});
afterAll(async () => {
  await ctx?.destroy();
  await fs.rm(ctx.config.dataDir, { recursive: true, force: true });
});

it('lmc serve runs the hosted SFTP service (component "sftp") and keeps its host key across restarts', async () => {
  const c = serveComponents.find((x) => x.name === 'sftp')!;
  const first = await c.start(ctx, {});
  const port = Number(/sftp:\/\/127\.0\.0\.1:(\d+)/.exec(first.describe ?? '')?.[1]);
  const banner = await new Promise<string>((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('data', (d) => {
      s.destroy();
      resolve(d.toString());
    });
  });
  expect(banner).toMatch(/^SSH-2\.0-lmc-sftp/);
  await first.stop();
  const key = await fs.readFile(`${ctx.config.dataDir}/sftp/ssh_host_ed25519_key.pub`, 'utf8');
  const second = await c.start(ctx, {});
  await second.stop();
  expect(await fs.readFile(`${ctx.config.dataDir}/sftp/ssh_host_ed25519_key.pub`, 'utf8')).toBe(key);
});
