import { z } from 'zod';
import { AchievementViewSchema, NewAchievementSchema, recordAchievement } from '../../../platform/skills/skill-achievements.ts';
import { addSkillLevel, createSkill, NewSkillSchema, SkillViewSchema } from '../../../platform/skills/skills.ts';
import { defineRoutes, principalOf } from '../../types.ts';

export default defineRoutes((app) => {
  app.post('/api/v1/skills', {
    config: { roles: ['admin'] },
    schema: { tags: ['skills'], summary: 'Create a skill with its levels', body: NewSkillSchema, response: { 201: SkillViewSchema } },
  }, async (req, reply) => {
    reply.status(201);
    return createSkill(app.ctx.db, principalOf(req).accountId, req.body);
  });

  app.post('/api/v1/skills/:id/levels', {
    config: { roles: ['admin'] },
    schema: { tags: ['skills'], summary: 'Add the next level to a skill', params: z.object({ id: z.coerce.number().int().positive() }),
      body: z.object({ name: z.string().trim().min(1).max(100), maxCredits: z.number().min(0).default(0) }), response: { 201: SkillViewSchema } },
  }, async (req, reply) => {
    reply.status(201);
    return addSkillLevel(app.ctx.db, principalOf(req).accountId, req.params.id, req.body);
  });

  app.post('/api/v1/skill-achievements', {
    config: { roles: ['admin'] },
    schema: { tags: ['skills'], summary: 'Record that a learner reached a skill level', body: NewAchievementSchema, response: { 201: AchievementViewSchema } },
  }, async (req, reply) => {
    reply.status(201);
    return recordAchievement(app.ctx.db, principalOf(req).accountId, req.body);
  });
});
