import type { AppContext } from '../app-context.ts';
import { importPathSentence, type DatabaseRights } from '../db/privileges.ts';
import { assertSecretKeyMatches } from '../engine/secret-key-check.ts';

/**
 * What a long-running process (serve, worker) checks once the database is migrated, before it takes any
 * work: its secret key opens the installation's secrets (several hosts must share one key). It logs which
 * way the user import will insert (what the database user may do: docs/operations.md, "Database rights").
 */
export async function checkBeforeStart(ctx: AppContext, rights?: DatabaseRights): Promise<void> {
  if (rights) ctx.log.info({ database: rights }, importPathSentence(rights));
  const key = await assertSecretKeyMatches(ctx);
  ctx.log.info({ secretKey: key }, key === 'stored' ? 'secret key check value stored (first start)' : 'secret key matches the installation');
}
