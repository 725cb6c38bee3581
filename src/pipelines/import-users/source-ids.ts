import type { AppContext } from '../../app-context.ts';
import { sourceIdsOfUsers } from '../../platform/user-import/source-ids.ts';

/**
 * For exports back to a vendor users were imported from: the vendor's id of each user (the record id the
 * connection's "Import Internal Users" read), by platform user id.
 * @example const ids = await userSourceIds(rc.ctx, rc.connection.id, [12, 13]); ids.get(12) // 'EMP-0012'
 */
export async function userSourceIds(ctx: AppContext, connectionId: number, userIds: number[]): Promise<Map<number, string>> {
  const client = await ctx.pool.connect();
  try {
    return await sourceIdsOfUsers(client, connectionId, userIds);
  } finally {
    client.release();
  }
}
