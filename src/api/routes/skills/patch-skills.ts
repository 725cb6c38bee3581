import { z } from 'zod';
import { setSkillRetired, SkillViewSchema } from '../../../platform/skills/skills.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.patch('/api/v1/skills/:id', {
    config: { roles: ['admin'] },
    schema: { tags: ['skills'], summary: 'Retire a skill (or bring it back); its achievements stay', params: z.object({ id: z.coerce.number().int().positive() }),
      body: z.object({ retired: z.boolean() }), response: { 200: SkillViewSchema } },
  }, async (req) => setSkillRetired(app.ctx.db, principalOf(req).accountId, req.params.id, req.body.retired));
});
