import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { SkillErrors } from '../errors.ts';

export const NewSkillSchema = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  levels: z.array(z.object({ name: z.string().trim().min(1).max(100), maxCredits: z.number().min(0).default(0) })).min(1).default([{ name: 'Level 1', maxCredits: 0 }])
    .describe('levels in order: the first is level 1'),
});
export type NewSkill = z.input<typeof NewSkillSchema>;

export const SkillViewSchema = z.object({
  id: z.number(),
  name: z.string(),
  description: z.string().nullable(),
  retired: z.boolean(),
  levels: z.array(z.object({ id: z.number(), level: z.number(), name: z.string(), maxCredits: z.number() })),
});

function uniqueViolation(e: unknown) {
  return (e as { code?: string }).code === '23505';
}

/** Creates a skill with its levels (1..n in the given order). */
export async function createSkill(db: Database, accountId: number, s: NewSkill) {
  const id = await db.transaction().execute(async (trx) => {
    let row;
    try {
      row = await trx.insertInto('skills').values({ account_id: accountId, name: s.name, description: s.description ?? null }).returning('id').executeTakeFirstOrThrow();
    } catch (e) {
      if (uniqueViolation(e)) throw SkillErrors.NAME_TAKEN.create({ detail: s.name, field: 'name' });
      throw e;
    }
    const levels = s.levels ?? [{ name: 'Level 1', maxCredits: 0 }];
    await trx.insertInto('skill_levels').values(levels.map((l, i) => ({ skill_id: row.id, level: i + 1, name: l.name, max_credits: l.maxCredits ?? 0 }))).execute();
    return row.id;
  });
  return getSkill(db, accountId, id);
}

export async function getSkill(db: Database, accountId: number, id: number) {
  const s = await db.selectFrom('skills').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
  if (!s) throw SkillErrors.NOT_FOUND.create(String(id));
  const levels = await db.selectFrom('skill_levels').selectAll().where('skill_id', '=', id).orderBy('level').execute();
  return { id: s.id, name: s.name, description: s.description, retired: s.retired, levels: levels.map((l) => ({ id: l.id, level: l.level, name: l.name, maxCredits: l.max_credits })) };
}

/** Skills with their levels; retired ones only when asked. */
export async function listSkills(db: Database, accountId: number, includeRetired = true) {
  let q = db.selectFrom('skills').selectAll().where('account_id', '=', accountId);
  if (!includeRetired) q = q.where('retired', '=', false);
  const skills = await q.orderBy('name').execute();
  if (skills.length === 0) return [];
  const levels = await db.selectFrom('skill_levels').selectAll().where('skill_id', 'in', skills.map((s) => s.id)).orderBy('level').execute();
  return skills.map((s) => ({
    id: s.id, name: s.name, description: s.description, retired: s.retired,
    levels: levels.filter((l) => l.skill_id === s.id).map((l) => ({ id: l.id, level: l.level, name: l.name, maxCredits: l.max_credits })),
  }));
}

/** Retires (or brings back) a skill: achievements stay; retired skills cannot be given to new trainings. */
export async function setSkillRetired(db: Database, accountId: number, id: number, retired: boolean) {
  const r = await db.updateTable('skills').set({ retired }).where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw SkillErrors.NOT_FOUND.create(String(id));
  return getSkill(db, accountId, id);
}

/** Adds the next level to a skill. */
export async function addSkillLevel(db: Database, accountId: number, id: number, l: { name: string; maxCredits?: number }) {
  await getSkill(db, accountId, id);
  await db.transaction().execute(async (trx) => {
    const max = await trx.selectFrom('skill_levels').select((eb) => eb.fn.max('level').as('m')).where('skill_id', '=', id).executeTakeFirst();
    await trx.insertInto('skill_levels').values({ skill_id: id, level: Number(max?.m ?? 0) + 1, name: l.name, max_credits: l.maxCredits ?? 0 }).execute();
  });
  return getSkill(db, accountId, id);
}

/** Checks that skill levels belong to the account and their skills are not retired. */
export async function assertUsableLevels(db: Database, accountId: number, levelIds: number[], field: string): Promise<void> {
  if (levelIds.length === 0) return;
  const rows = await db.selectFrom('skill_levels as l').innerJoin('skills as s', 's.id', 'l.skill_id').select(['l.id', 's.retired', 's.name'])
    .where('s.account_id', '=', accountId).where('l.id', 'in', levelIds).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  levelIds.forEach((id, i) => {
    const r = byId.get(id);
    if (!r) throw SkillErrors.LEVEL_NOT_FOUND.create({ detail: String(id), field: `${field}.${i}.skillLevelId` });
    if (r.retired) throw SkillErrors.RETIRED.create({ detail: r.name, field: `${field}.${i}.skillLevelId` });
  });
}
