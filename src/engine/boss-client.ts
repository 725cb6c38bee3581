import type PgBoss from 'pg-boss';
import type { AppContext } from '../app-context.ts';
import { openBoss } from './queue.ts';

const senders = new WeakMap<AppContext, Promise<PgBoss>>();

/** A pg-boss instance for sending jobs from this process (API, CLI), opened once per app context and closed with it. */
export function bossFor(ctx: AppContext): Promise<PgBoss> {
  let p = senders.get(ctx);
  if (!p) {
    p = openBoss(ctx.dbUrl, { max: 2 });
    senders.set(ctx, p);
    ctx.onClose(async () => {
      const b = await p!.catch(() => undefined);
      await b?.stop({ graceful: false, wait: true, close: true });
    });
  }
  return p;
}
