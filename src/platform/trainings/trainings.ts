import { sql, type Selectable } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { TrainingsTable } from '../../db/schema/core.ts';
import { TrainingErrors } from '../errors.ts';
import { assertUsableLevels } from '../skills/skills.ts';
import type { NewTraining, TrainingListQuery, TrainingPatch } from './training-schemas.ts';

function summary(t: Selectable<TrainingsTable>) {
  return {
    id: t.id, loId: t.lo_id, type: t.type, name: t.name, author: t.author, durationMinutes: t.duration_minutes, tags: t.tags, catalogs: t.catalogs,
    price: t.price, currency: t.currency, state: t.state, externalConnector: t.external_connector, externalId: t.external_id, createdAt: t.created_at, updatedAt: t.updated_at,
  };
}

/** Learning paths and certifications hold courses of the same account only. */
async function assertCourses(db: Database, accountId: number, ids: number[]): Promise<void> {
  if (new Set(ids).size !== ids.length) throw TrainingErrors.BAD_ITEM.create({ detail: 'a course is listed twice', field: 'items' });
  if (ids.length === 0) return;
  const rows = await db.selectFrom('trainings').select(['id', 'type']).where('account_id', '=', accountId).where('id', 'in', ids).execute();
  const types = new Map(rows.map((r) => [r.id, r.type]));
  ids.forEach((id, i) => {
    if (types.get(id) !== 'course') throw TrainingErrors.BAD_ITEM.create({ detail: `training ${id} is not a course of this account`, field: `items.${i}` });
  });
}

async function writeItemsAndSkills(db: Database, trainingId: number, t: { items?: number[]; skills?: Array<{ skillLevelId: number; credits?: number }> }) {
  if (t.items !== undefined) {
    await db.deleteFrom('training_items').where('parent_id', '=', trainingId).execute();
    if (t.items.length) await db.insertInto('training_items').values(t.items.map((child, i) => ({ parent_id: trainingId, child_id: child, position: i + 1 }))).execute();
  }
  if (t.skills !== undefined) {
    await db.deleteFrom('training_skills').where('training_id', '=', trainingId).execute();
    if (t.skills.length) await db.insertInto('training_skills').values(t.skills.map((s) => ({ training_id: trainingId, skill_level_id: s.skillLevelId, credits: s.credits ?? 0 }))).execute();
  }
}

/**
 * Creates a course, learning path (ordered courses in `items`) or certification, with its skills and a
 * default instance (enrollments always name an instance).
 * @example await createTraining(db, accountId, { loId: 'course:1', type: 'course', name: 'Safety' })
 */
export async function createTraining(db: Database, accountId: number, t: NewTraining) {
  if (t.items?.length && t.type === 'course') throw TrainingErrors.BAD_ITEM.create({ detail: 'a course has no items', field: 'items' });
  const id = await db.transaction().execute(async (trx) => {
    await assertCourses(trx, accountId, t.items ?? []);
    await assertUsableLevels(trx, accountId, (t.skills ?? []).map((s) => s.skillLevelId), 'skills');
    let row;
    try {
      row = await trx.insertInto('trainings').values({
        account_id: accountId, lo_id: t.loId, type: t.type, name: t.name, description: t.description, author: t.author, duration_minutes: t.durationMinutes,
        tags: t.tags, catalogs: t.catalogs, price: t.price ?? null, currency: t.currency ?? null, state: t.state,
        external_connector: t.external?.connector ?? null, external_id: t.external?.id ?? null,
      }).returning('id').executeTakeFirstOrThrow();
    } catch (e) {
      if ((e as { code?: string }).code === '23505') throw TrainingErrors.LO_ID_TAKEN.create({ detail: t.external ? `${t.loId} or external id ${t.external.id}` : t.loId, field: 'loId' });
      throw e;
    }
    await writeItemsAndSkills(trx, row.id, t);
    await trx.insertInto('training_instances').values({ training_id: row.id, name: 'Default instance', is_default: true }).execute();
    return row.id;
  });
  return getTraining(db, accountId, id);
}

async function trainingRow(db: Database, accountId: number, ref: number | string) {
  let q = db.selectFrom('trainings').selectAll().where('account_id', '=', accountId);
  q = typeof ref === 'number' || /^\d+$/.test(ref) ? q.where('id', '=', Number(ref)) : q.where('lo_id', '=', ref);
  const t = await q.executeTakeFirst();
  if (!t) throw TrainingErrors.NOT_FOUND.create(String(ref));
  return t;
}

/** A training with its items, skills, instances (seat counts, sessions) and modules; by id or LO id. */
export async function getTraining(db: Database, accountId: number, ref: number | string) {
  const t = await trainingRow(db, accountId, ref);
  const [items, skills, instances, sessions, modules, seats] = await Promise.all([
    db.selectFrom('training_items as i').innerJoin('trainings as c', 'c.id', 'i.child_id').select(['c.id', 'c.lo_id', 'c.name', 'i.position']).where('i.parent_id', '=', t.id).orderBy('i.position').execute(),
    db.selectFrom('training_skills as ts').innerJoin('skill_levels as l', 'l.id', 'ts.skill_level_id').innerJoin('skills as s', 's.id', 'l.skill_id')
      .select(['ts.skill_level_id', 's.name as skill', 'l.level', 'l.name as level_name', 'ts.credits']).where('ts.training_id', '=', t.id).orderBy('s.name').execute(),
    db.selectFrom('training_instances').selectAll().where('training_id', '=', t.id).orderBy('id').execute(),
    db.selectFrom('training_sessions as s').innerJoin('training_instances as i', 'i.id', 's.instance_id').selectAll('s').where('i.training_id', '=', t.id).orderBy('s.starts_at').execute(),
    db.selectFrom('training_modules').selectAll().where('training_id', '=', t.id).orderBy('position').execute(),
    sql<{ instance_id: number; taken: number; waiting: number }>`
      select instance_id, count(*) filter (where not waitlisted)::int as taken, count(*) filter (where waitlisted)::int as waiting
      from enrollments where training_id = ${t.id} and status <> 'unenrolled' group by instance_id`.execute(db),
  ]);
  const seatBy = new Map(seats.rows.map((s) => [s.instance_id, s]));
  return {
    ...summary(t),
    description: t.description,
    items: items.map((i) => ({ id: i.id, loId: i.lo_id, name: i.name, position: i.position })),
    skills: skills.map((s) => ({ skillLevelId: s.skill_level_id, skill: s.skill, level: s.level, levelName: s.level_name, credits: s.credits })),
    instances: instances.map((i) => ({
      id: i.id, name: i.name, isDefault: i.is_default, seatLimit: i.seat_limit, waitlistLimit: i.waitlist_limit, state: i.state,
      seatsTaken: seatBy.get(i.id)?.taken ?? 0, waitlisted: seatBy.get(i.id)?.waiting ?? 0,
      sessions: sessions.filter((s) => s.instance_id === i.id).map((s) => ({ id: s.id, name: s.name, startsAt: s.starts_at, endsAt: s.ends_at, provider: s.provider, meeting: s.meeting })),
    })),
    modules: modules.map((m) => ({ id: m.id, position: m.position, name: m.name, kind: m.kind, contentType: m.content_type, launchUrl: m.launch_url, durationMinutes: m.duration_minutes })),
  };
}

/** A page of trainings with the total that matches. */
export async function listTrainings(db: Database, accountId: number, q: TrainingListQuery = {}) {
  let query = db.selectFrom('trainings').where('account_id', '=', accountId);
  if (q.type) query = query.where('type', '=', q.type);
  if (q.state) query = query.where('state', '=', q.state);
  if (q.search) {
    const like = `%${q.search.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    query = query.where((eb) => eb.or([eb('name', 'ilike', like), eb('lo_id', 'ilike', like)]));
  }
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  const [rows, total] = await Promise.all([
    query.selectAll().orderBy('id').limit(limit).offset(offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(summary), total: Number(total.n), limit, offset };
}

/** Updates a training's attributes, items and skills (items and skills are replaced when given). */
export async function updateTraining(db: Database, accountId: number, id: number, p: TrainingPatch) {
  const t = await trainingRow(db, accountId, id);
  if (p.items?.length && t.type === 'course') throw TrainingErrors.BAD_ITEM.create({ detail: 'a course has no items', field: 'items' });
  await db.transaction().execute(async (trx) => {
    if (p.items) await assertCourses(trx, accountId, p.items);
    if (p.skills) await assertUsableLevels(trx, accountId, p.skills.map((s) => s.skillLevelId), 'skills');
    const set: Record<string, unknown> = { updated_at: new Date() };
    const map: Array<[keyof TrainingPatch, string]> = [['name', 'name'], ['description', 'description'], ['author', 'author'], ['durationMinutes', 'duration_minutes'],
      ['tags', 'tags'], ['catalogs', 'catalogs'], ['price', 'price'], ['currency', 'currency'], ['state', 'state']];
    for (const [k, col] of map) if (p[k] !== undefined) set[col] = p[k];
    if (p.external !== undefined) {
      set.external_connector = p.external.connector;
      set.external_id = p.external.id;
    }
    await trx.updateTable('trainings').set(set).where('id', '=', id).execute();
    await writeItemsAndSkills(trx, id, p);
  });
  return getTraining(db, accountId, id);
}

/** The id of a training of the account (NOT_FOUND otherwise). */
export async function trainingIdOf(db: Database, accountId: number, ref: number | string): Promise<number> {
  return (await trainingRow(db, accountId, ref)).id;
}
