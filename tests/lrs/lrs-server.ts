import XAPIModule from '@xapi/xapi';

// @xapi/xapi ships CommonJS types: its class is the module's `default` (the class also carries itself
// as `default`, so this works at runtime under ESM and CJS alike).
const XAPI = XAPIModule.default;
type XAPI = InstanceType<typeof XAPI>;
import { buildApi } from '../../src/api/app.ts';
import type { Api } from '../../src/api/types.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { apiClient, createAccountWithToken } from '../helpers/api.ts';

/** A running API (real HTTP on a free port) with an account, its bearer token and an LRS key. */
export interface LrsHarness {
  ctx: TestContext;
  app: Api;
  base: string;
  endpoint: string;
  token: string;
  key: string;
  secret: string;
  /** An @xapi/xapi client on the LRS with the read/write key. */
  xapi(version?: '2.0.0' | '1.0.3', auth?: { key: string; secret: string }, adapter?: 'axios' | 'fetch'): XAPI;
  /** A raw fetch on /xapi with Basic auth and the version header (override any header). */
  raw(path: string, init?: RequestInit & { version?: string | null; auth?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

export async function startLrs(): Promise<LrsHarness> {
  const ctx = await createTestContext();
  const app = await buildApi(ctx);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}`;
  const { token } = await createAccountWithToken(ctx);
  const created = await apiClient(app, token).post('/api/v1/lrs-credentials', { name: 'tests', scopes: ['read', 'write'] });
  if (created.statusCode !== 201) throw new Error(`cannot create an LRS key: ${created.body}`);
  const { key, secret } = created.data as { key: string; secret: string };
  const basic = (k: string, s: string) => 'Basic ' + Buffer.from(`${k}:${s}`).toString('base64');
  return {
    ctx,
    app,
    base,
    endpoint: `${base}/xapi`,
    token,
    key,
    secret,
    xapi: (version = '2.0.0', auth = { key, secret }, adapter = 'axios') =>
      new XAPI({ endpoint: `${base}/xapi`, auth: XAPI.toBasicAuth(auth.key, auth.secret), version: version as never, adapter }),
    raw: (path, init = {}) => {
      const headers = new Headers(init.headers);
      if (init.version !== null && !headers.has('X-Experience-API-Version')) headers.set('X-Experience-API-Version', init.version ?? '2.0.0');
      if (init.auth !== null && !headers.has('Authorization')) headers.set('Authorization', init.auth ?? basic(key, secret));
      return fetch(`${base}/xapi${path}`, { ...init, headers });
    },
    close: async () => {
      await app.close();
      await ctx.destroy();
    },
  };
}

/** A minimal valid statement; override any property. */
export function statement(over: Record<string, unknown> = {}): Record<string, any> {
  return {
    actor: { objectType: 'Agent', name: 'Ada', mbox: 'mailto:ada@example.com' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
    object: { objectType: 'Activity', id: 'http://example.com/activities/intro', definition: { name: { 'en-US': 'Intro' } } },
    ...over,
  };
}

/** The query string of an object, JSON-encoding object values (agent=). */
export function qs(params: Record<string, unknown>): string {
  return '?' + new URLSearchParams(Object.entries(params).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)])).toString();
}
