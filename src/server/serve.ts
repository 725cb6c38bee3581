import { buildApi } from '../api/app.ts';
import { openAppContext, type AppContext } from '../app-context.ts';
import { prepareDatabase } from '../db/prepare.ts';
import { importPathSentence, type DatabaseRights } from '../db/privileges.ts';
import { checkBeforeStart } from './start-checks.ts';
import { bootstrapFirstAdmin } from '../platform/accounts.ts';
import { serveComponents } from './components.ts';

export interface ServeOptions {
  /** Skip components by name (e.g. 'worker' with --no-worker). */
  skip?: string[];
  ctx?: AppContext;
}

/**
 * Starts the product: database (embedded unless DATABASE_URL), migrations, the first admin on first
 * start, the HTTP API and the background components. Returns a function that stops everything.
 */
export async function serve(opts: ServeOptions = {}) {
  const ctx = opts.ctx ?? (await openAppContext());
  let rights: DatabaseRights;
  try {
    ({ rights } = await prepareDatabase(ctx.dbUrl));
    await checkBeforeStart(ctx, rights);
  } catch (e) {
    if (!opts.ctx) await ctx.close();
    throw e;
  }
  const first = await bootstrapFirstAdmin(ctx.db);
  const api = await buildApi(ctx, { logger: ctx.config.logLevel !== 'silent' });
  await api.listen({ host: ctx.config.host, port: ctx.config.port });
  const url = `http://${ctx.config.host === '0.0.0.0' ? '127.0.0.1' : ctx.config.host}:${ctx.config.port}`;
  const stops: Array<() => Promise<void>> = [() => api.close()];
  const lines = [`lmc is running at ${url}/  (API: ${url}/api/v1, OpenAPI: ${url}/openapi.json)`, importPathSentence(rights)];
  for (const c of serveComponents) {
    if (opts.skip?.includes(c.name)) continue;
    const started = await c.start(ctx, { api });
    stops.push(started.stop);
    if (started.describe) lines.push(started.describe);
  }
  if (first) {
    lines.push('', 'First start: an administrator was created. Sign in with', `  email:    ${first.email}`, `  password: ${first.password}`, '(shown once; change it after signing in)');
  }
  process.stdout.write(lines.join('\n') + '\n');
  return {
    ctx,
    url,
    api,
    stop: async () => {
      for (const s of stops.reverse()) await s().catch(() => undefined);
      await ctx.close();
    },
  };
}
