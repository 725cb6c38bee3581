import type { AppContext } from '../app-context.ts';
import { assertSecretKeyMatches } from '../engine/secret-key-check.ts';

/**
 * What a long-running process (serve, worker) checks once the database is migrated, before it takes any
 * work: its secret key opens the installation's secrets (several hosts must share one key).
 */
export async function checkBeforeStart(ctx: AppContext): Promise<void> {
  const key = await assertSecretKeyMatches(ctx);
  ctx.log.info({ secretKey: key }, key === 'stored' ? 'secret key check value stored (first start)' : 'secret key matches the installation');
}
