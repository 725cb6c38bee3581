import { z } from 'zod';
import { setOwnManualFields } from '../../../platform/users/users.ts';
import { UserViewSchema } from '../../../platform/users/user-schemas.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.patch('/api/v1/me/fields', {
    config: { learnerFacing: true },
    schema: {
      tags: ['learner'],
      summary: 'The learner fills their own manual active fields (null clears a value)',
      body: z.object({ fields: z.record(z.string(), z.string().nullable()) }),
      response: { 200: UserViewSchema },
    },
  }, async (req) => {
    const p = principalOf(req);
    return setOwnManualFields(app.ctx.db, p.accountId, p.userId, req.body.fields);
  });
});
