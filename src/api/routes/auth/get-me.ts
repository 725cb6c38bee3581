import { z } from 'zod';
import { getAccount } from '../../../platform/accounts.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/me', {
    schema: {
      tags: ['auth'],
      summary: 'The signed-in user, the account and the roles of this token',
      response: { 200: z.object({ userId: z.number(), email: z.string(), accountId: z.number(), accountName: z.string(), roles: z.array(z.string()) }) },
    },
  }, async (req) => {
    const p = principalOf(req);
    const acc = await getAccount(app.ctx.db, p.accountId);
    return { userId: p.userId, email: p.email, accountId: p.accountId, accountName: acc.name, roles: p.roles };
  });
});
