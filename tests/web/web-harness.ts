import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildApi } from '../../src/api/app.ts';
import type { Api } from '../../src/api/types.ts';
import type { AppContext } from '../../src/app-context.ts';
import { createConnection } from '../../src/engine/connections.ts';
import { engineTimings } from '../../src/engine/engine-config.ts';
import { startWorker } from '../../src/engine/worker.ts';
import { ADMIN_ROLES, createAccount } from '../../src/platform/accounts.ts';
import { hashPassword } from '../../src/shared/passwords.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';

export const CHROMIUM = process.env.LMC_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve('docs/screenshots');

/**
 * Builds the web app once for this test file into a temporary folder and points the server at it
 * (LMC_WEB_DIR), so parallel files and `npm start` never share an output folder.
 */
export async function buildWebApp(): Promise<string> {
  const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-web-'));
  const { build } = await import('vite');
  await build({ configFile: path.resolve('vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  process.env.LMC_WEB_DIR = outDir;
  return outDir;
}

/** The real API (and the built web app at /) listening on a free loopback port. */
export async function startServer(ctx: AppContext): Promise<{ app: Api; url: string }> {
  const app = await buildApi(ctx);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return { app, url: `http://127.0.0.1:${addr.port}` };
}

/** Debian's chromium, headless, with a fresh profile; downloads accepted. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const userDataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    acceptDownloads: true,
    viewport: { width: 1280, height: 860 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      await fs.rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** An account with an integration admin who signs in with a password. */
export async function createAdmin(ctx: AppContext, opts: { email?: string; password?: string; accountName?: string } = {}) {
  const email = opts.email ?? 'integration.admin@acme.test';
  const password = opts.password ?? 'correct horse battery';
  const account = await createAccount(ctx.db, { name: opts.accountName ?? `Acme ${Math.random().toString(36).slice(2, 7)}` });
  const user = await ctx.db
    .insertInto('users')
    .values({ account_id: account.id, email, name: 'Integration Admin', roles: ADMIN_ROLES, password_hash: await hashPassword(password) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { account, user, email, password };
}

/** Saves a full-page screenshot under docs/screenshots/<name>.png (the docs show them). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Signs in through the form. */
export async function signIn(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Waits until run #id is listed and reaches a final status (or needs approval); returns its row. */
export async function waitForRun(p: Page, id: number, onProgress?: () => Promise<void>, limitMs = 90_000) {
  const row = p.locator(`table[aria-label="Runs"] tbody tr[data-run-id="${id}"]`);
  await row.waitFor();
  for (const end = Date.now() + limitMs; ; ) {
    if (Date.now() > end) throw new Error(`run ${id} is still ${await row.getAttribute('data-status')} after ${limitMs} ms`);
    const status = await row.getAttribute('data-status');
    if (status && !['queued', 'running'].includes(status)) return { row, status };
    if (onProgress && (await row.getByRole('progressbar').count())) await onProgress();
    await p.waitForTimeout(100);
  }
}

/** What a browser test drives (startWebStack): the stack, one signed-out page and the integration admin. */
/** The Map Attributes page's select for one platform field ("Email", "Profile: title", "Active field: Department"). */
export const sourceField = (p: Page, platform: string) => p.getByLabel(`Source field for ${platform}`, { exact: true });

/** On Map Attributes: chooses each platform field's source field (by option value), saves, waits for "Mapping saved.". */
export async function saveSourceMapping(p: Page, choices: Record<string, string>): Promise<void> {
  for (const [platform, value] of Object.entries(choices)) await sourceField(p, platform).selectOption(value);
  await p.getByRole('button', { name: 'Save' }).click();
  await p.getByRole('status').filter({ hasText: 'Mapping saved.' }).waitFor();
}

/** From a connection's pages: On Demand Execution, a dry run started, then its Execution Status. */
export async function startDryRun(p: Page): Promise<void> {
  await p.getByRole('link', { name: 'On Demand Execution' }).click();
  await p.getByLabel(/Dry run/).check();
  await p.getByRole('button', { name: 'Start dry run' }).click();
  await p.getByRole('heading', { name: /Execution Status/ }).waitFor();
}

export interface WebStack {
  ctx: TestContext;
  server: { app: Api; url: string };
  admin: Awaited<ReturnType<typeof createAdmin>>;
  /** One page; its uncaught JavaScript errors are collected in jsErrors. */
  page: Page;
  jsErrors: string[];
  stop(): Promise<void>;
}

/**
 * A test database, the built web app served by the real API, a worker (unless `worker: false`), Chromium with
 * one page, and an integration admin of a new account: the set-up every browser test repeated. `beforeAdmin`
 * runs once the server listens (e.g. to register its URL as the OAuth redirect's).
 */
export async function startWebStack(opts: { accountName?: string; worker?: boolean; beforeAdmin?: (ctx: TestContext, url: string) => void | Promise<void> } = {}): Promise<WebStack> {
  const [ctx, webDir] = await Promise.all([createTestContext(), buildWebApp()]);
  const server = await startServer(ctx);
  await opts.beforeAdmin?.(ctx, server.url);
  const worker = opts.worker === false ? undefined : await startWorker(ctx, { timings: engineTimings() });
  const browser = await launchBrowser();
  const admin = await createAdmin(ctx, { accountName: opts.accountName ?? 'Acme Learning' });
  const page = await browser.context.newPage();
  const jsErrors: string[] = [];
  page.on('pageerror', (e) => jsErrors.push(e.message));
  return {
    ctx, server, admin, page, jsErrors,
    async stop() {
      await browser.close();
      await worker?.stop();
      await server.app.close();
      await ctx.destroy();
      await fs.rm(webDir, { recursive: true, force: true });
      await fs.rm(ctx.config.dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs the stack's admin in and returns the connector's tile on the Connectors page (its Connect and Getting Started links). */
export async function signInToTile(stack: Pick<WebStack, 'page' | 'server' | 'admin'>, connectorName: string) {
  await signIn(stack.page, stack.server.url, stack.admin.email, stack.admin.password);
  const tile = stack.page.getByRole('listitem').filter({ has: stack.page.getByRole('heading', { name: connectorName }) });
  await tile.waitFor();
  return tile;
}

/** What a browser test of one file-drop action drives (startWebStackWithDrop). */
export interface WebStackWithDrop {
  ctx: TestContext;
  server: { app: Api; url: string };
  admin: Awaited<ReturnType<typeof createAdmin>>;
  /** The root of a local-directory connection, and that connection. */
  dropDir: string;
  connectionId: number;
  /** One page; its uncaught JavaScript errors are collected in jsErrors. */
  page: Page;
  jsErrors: string[];
  stop(): Promise<void>;
}

/**
 * A test database, the built web app served by the real API, a worker, Chromium, an integration admin and a
 * local-directory connection on a fresh temporary folder: the set-up of the pipelines' browser tests.
 */
export async function startWebStackWithDrop(opts: { dropPrefix: string; connectionName: string }): Promise<WebStackWithDrop> {
  const stack = await startWebStack();
  const dropDir = await fs.mkdtemp(path.join(os.tmpdir(), opts.dropPrefix));
  const actor = { accountId: stack.admin.account.id, userId: stack.admin.user.id };
  const connectionId = (await createConnection(stack.ctx, actor, { connectorId: 'local-directory', name: opts.connectionName, settings: { root: dropDir } })).id;
  return {
    ...stack, dropDir, connectionId,
    async stop() {
      await stack.stop();
      await fs.rm(dropDir, { recursive: true, force: true });
    },
  };
}

/** The serious and critical accessibility violations axe-core (injected into the page) finds on the screen as it stands. */
export async function axeViolations(p: Page): Promise<string[]> {
  if (!(await p.evaluate(() => 'axe' in window))) await p.addScriptTag({ path: path.resolve('node_modules/axe-core/axe.min.js') });
  const found = await p.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)) }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.targets.join(', ')}`);
}
