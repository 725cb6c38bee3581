import { z } from 'zod';
import { AchievementViewSchema, listAchievements } from '../../../platform/skills/skill-achievements.ts';
import { listSkills, SkillViewSchema } from '../../../platform/skills/skills.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/skills', {
    config: { roles: ['admin', 'author'] },
    schema: { tags: ['skills'], summary: 'Skills with their levels', querystring: z.object({ includeRetired: z.enum(['true', 'false']).default('true') }), response: { 200: z.array(SkillViewSchema) } },
  }, async (req) => listSkills(app.ctx.db, principalOf(req).accountId, req.query.includeRetired === 'true'));

  app.get('/api/v1/skill-achievements', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['skills'], summary: 'Skill achievements, newest first (filter by learner)',
      querystring: z.object({ userId: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(1000).default(100), offset: z.coerce.number().int().min(0).default(0) }),
      response: { 200: z.array(AchievementViewSchema) },
    },
  }, async (req) => listAchievements(app.ctx.db, principalOf(req).accountId, req.query));

  app.get('/api/v1/me/skill-achievements', {
    config: { learnerFacing: true },
    schema: { tags: ['learner'], summary: 'The signed-in learner\'s skill achievements', response: { 200: z.array(AchievementViewSchema) } },
  }, async (req) => {
    const p = principalOf(req);
    return listAchievements(app.ctx.db, p.accountId, { userId: p.userId, limit: 1000 });
  });
});
