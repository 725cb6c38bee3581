import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema/index.ts';
import { rng } from './prng.ts';
import { insertJson, reserveIds } from './seed-sql.ts';

const TOPICS = ['Leadership', 'Workplace Safety', 'Compliance', 'Data Privacy', 'Spreadsheets', 'Negotiation', 'Customer Service', 'Python',
  'Cloud Security', 'Project Management', 'Agile Delivery', 'Communication', 'Finance Basics', 'Sales Techniques', 'Inclusion',
  'First Aid', 'Time Management', 'Public Speaking', 'Design Thinking', 'Machine Learning', 'Coaching', 'Code of Conduct',
  'Anti-Bribery', 'Product Knowledge', 'SQL', 'Cyber Hygiene', 'Accessibility', 'Onboarding', 'Quality Management', 'Presentation Skills'];
const PREFIXES = ['Introduction to', 'Essentials of', 'Advanced', 'Practical', 'Mastering'];
const AUTHORS = ['Learning Team', 'HR Academy', 'Security Office', 'Sales Enablement', 'Engineering Guild', 'Finance Academy'];
const CATALOGS = ['Default Catalog', 'Compliance', 'Leadership Academy', 'Technical Skills', 'Sales'];
const TAGS = ['mandatory', 'new-hire', 'manager', 'soft-skills', 'technical', 'compliance', 'certified', 'quick'];
const PROVIDERS = ['zoom', 'teams', 'adobe_connect'];
const CONTENT = ['scorm', 'aicc', 'xapi', 'video', 'document', 'link'];
const LEVEL_NAMES = ['Beginner', 'Intermediate', 'Advanced'];

export interface Catalog {
  /** ids of courses then certifications: the trainings learners enroll in directly */
  directIds: number[];
  /** default instance id of each entry of directIds */
  directInstanceIds: number[];
  lpIds: number[];
  lpInstanceIds: number[];
  counts: Record<string, number>;
}

/** Sizes that grow with the account: about 2*sqrt(users) courses (10..2000). */
export function catalogSizes(users: number) {
  const courses = Math.max(10, Math.min(2000, Math.round(2 * Math.sqrt(users))));
  return { courses, paths: Math.max(2, Math.round(courses / 10)), certifications: Math.max(1, Math.round(courses / 20)), skills: Math.max(5, Math.min(100, Math.round(courses / 10))) };
}

/**
 * Skills with levels (some retired), courses with modules (self-paced incl. AICC, virtual classroom,
 * classroom), learning paths of ordered courses, certifications, instances with seats and waitlists,
 * sessions with a provider and meeting details. Built in JS from mulberry32, inserted as JSON sets.
 */
export async function seedCatalog(trx: Transaction<DB>, accountId: number, seed: number, users: number, base: Date): Promise<Catalog> {
  const r = rng(seed ^ 0x5eed);
  const size = catalogSizes(users);
  const day = 86_400_000;

  // skills and levels
  const skillBase = await reserveIds(trx, 'skills', size.skills);
  const skills = Array.from({ length: size.skills }, (_, k) => ({
    id: skillBase + k,
    account_id: accountId,
    name: `${TOPICS[k % TOPICS.length]}${k >= TOPICS.length ? ` ${Math.floor(k / TOPICS.length) + 1}` : ''}`,
    description: `Ability in ${TOPICS[k % TOPICS.length].toLowerCase()}`,
    retired: k % 7 === 3,
  }));
  await insertJson(trx, 'skills', { id: 'bigint', account_id: 'bigint', name: 'text', description: 'text', retired: 'boolean' }, skills);
  const levelBase = await reserveIds(trx, 'skill_levels', size.skills * 3);
  const levels = skills.flatMap((s, k) => LEVEL_NAMES.map((name, l) => ({ id: levelBase + k * 3 + l, skill_id: s.id, level: l + 1, name, max_credits: (l + 1) * 10 })));
  await insertJson(trx, 'skill_levels', { id: 'bigint', skill_id: 'bigint', level: 'int', name: 'text', max_credits: 'numeric' }, levels);

  // trainings: courses, then learning paths, then certifications
  const total = size.courses + size.paths + size.certifications;
  const tBase = await reserveIds(trx, 'trainings', total);
  const trainings: Array<Record<string, unknown>> = [];
  const combos = TOPICS.length * PREFIXES.length;
  for (let k = 0; k < size.courses; k++) {
    const topic = TOPICS[k % TOPICS.length];
    const name = `${PREFIXES[Math.floor(k / TOPICS.length) % PREFIXES.length]} ${topic}${k >= combos ? ` (${Math.floor(k / combos) + 1})` : ''}`;
    trainings.push({
      id: tBase + k, account_id: accountId, lo_id: `course:${k + 1}`, type: 'course', name,
      description: `A course on ${topic.toLowerCase()}.`, author: r.pick(AUTHORS), duration_minutes: r.int(2, 48) * 15,
      tags: [r.pick(TAGS), r.pick(TAGS)].filter((t, i, a) => a.indexOf(t) === i), catalogs: [r.pick(CATALOGS)],
      price: r.chance(0.2) ? r.int(1, 40) * 25 : null, currency: null as string | null,
      state: k % 25 === 24 ? 'retired' : 'published',
      created_at: new Date(base.getTime() - r.int(400, 1000) * day).toISOString(),
    });
  }
  for (const t of trainings) if (t.price !== null) t.currency = 'USD';
  for (let k = 0; k < size.paths; k++) {
    trainings.push({ id: tBase + size.courses + k, account_id: accountId, lo_id: `learningProgram:${k + 1}`, type: 'learning_path',
      name: `${TOPICS[k % TOPICS.length]} Path${k >= TOPICS.length ? ` ${Math.floor(k / TOPICS.length) + 1}` : ''}`, description: 'A path of courses, taken in order.',
      author: r.pick(AUTHORS), duration_minutes: 0, tags: ['path'], catalogs: [r.pick(CATALOGS)], price: null, currency: null, state: 'published',
      created_at: new Date(base.getTime() - r.int(300, 900) * day).toISOString() });
  }
  for (let k = 0; k < size.certifications; k++) {
    trainings.push({ id: tBase + size.courses + size.paths + k, account_id: accountId, lo_id: `certification:${k + 1}`, type: 'certification',
      name: `Certified ${TOPICS[k % TOPICS.length]}${k >= TOPICS.length ? ` ${Math.floor(k / TOPICS.length) + 1}` : ''}`, description: 'Complete the required courses to be certified.',
      author: r.pick(AUTHORS), duration_minutes: 0, tags: ['certified'], catalogs: ['Compliance'], price: null, currency: null, state: 'published',
      created_at: new Date(base.getTime() - r.int(300, 900) * day).toISOString() });
  }

  // path and certification items: consecutive courses from a random start (distinct, ordered)
  const items: object[] = [];
  const durations = new Map<number, number>();
  for (let k = 0; k < size.paths + size.certifications; k++) {
    const parent = tBase + size.courses + k;
    const n = k < size.paths ? r.int(3, 5) : r.int(2, 3);
    const start = r.int(0, size.courses - 1);
    let dur = 0;
    for (let j = 0; j < n; j++) {
      const child = (start + j) % size.courses;
      items.push({ parent_id: parent, child_id: tBase + child, position: j + 1 });
      dur += trainings[child].duration_minutes as number;
    }
    durations.set(parent, dur);
  }
  for (const [id, dur] of durations) trainings[id - tBase].duration_minutes = dur;
  await insertJson(trx, 'trainings', { id: 'bigint', account_id: 'bigint', lo_id: 'text', type: 'text', name: 'text', description: 'text', author: 'text',
    duration_minutes: 'int', tags: 'text[]', catalogs: 'text[]', price: 'numeric', currency: 'text', state: 'text', created_at: 'timestamptz' }, trainings);
  await insertJson(trx, 'training_items', { parent_id: 'bigint', child_id: 'bigint', position: 'int' }, items);

  // training skills: each course grants credits toward one skill level; certifications toward a top level
  const tSkills: object[] = [];
  for (let k = 0; k < size.courses; k++) tSkills.push({ training_id: tBase + k, skill_level_id: levelBase + (k % size.skills) * 3 + r.int(0, 2), credits: r.int(1, 10) });
  for (let k = 0; k < size.certifications; k++) tSkills.push({ training_id: tBase + size.courses + size.paths + k, skill_level_id: levelBase + (k % size.skills) * 3 + 2, credits: 20 });
  await insertJson(trx, 'training_skills', { training_id: 'bigint', skill_level_id: 'bigint', credits: 'numeric' }, tSkills);

  // instances: a default one per training; classroom/virtual courses (1 in 5) get two scheduled instances
  const scheduled = trainings.filter((t, k) => t.type === 'course' && k % 5 === 2);
  const iBase = await reserveIds(trx, 'training_instances', total + scheduled.length * 2);
  const instances: Array<Record<string, unknown>> = trainings.map((t, k) => ({ id: iBase + k, training_id: t.id, name: 'Default instance', is_default: true, seat_limit: null, waitlist_limit: null, state: 'active' }));
  const sessions: object[] = [];
  scheduled.forEach((t, s) => {
    for (let j = 0; j < 2; j++) {
      const id = iBase + total + s * 2 + j;
      const seats = r.int(2, 20) * 10;
      instances.push({ id, training_id: t.id, name: `${j === 0 ? 'Spring' : 'Autumn'} cohort`, is_default: false, seat_limit: seats, waitlist_limit: Math.round(seats / 5), state: j === 0 ? 'retired' : 'active' });
      const provider = r.chance(0.7) ? r.pick(PROVIDERS) : null;
      for (let n = 0; n < 2; n++) {
        const start = base.getTime() + (j === 0 ? -120 : 30) * day + n * 7 * day + r.int(8, 16) * 3_600_000;
        sessions.push({ instance_id: id, name: `Session ${n + 1}`, starts_at: new Date(start).toISOString(), ends_at: new Date(start + r.int(1, 4) * 3_600_000).toISOString(), provider,
          meeting: provider ? { url: `https://${provider.replace('_', '')}.example.com/j/${(seed % 1000) * 1_000_000 + id}`, meetingId: String(900_000_000 + id), passcodeHint: 'sent by email' } : { room: `Room ${r.int(1, 30)}`, building: 'HQ' } });
      }
    }
  });
  await insertJson(trx, 'training_instances', { id: 'bigint', training_id: 'bigint', name: 'text', is_default: 'boolean', seat_limit: 'int', waitlist_limit: 'int', state: 'text' }, instances);
  await insertJson(trx, 'training_sessions', { instance_id: 'bigint', name: 'text', starts_at: 'timestamptz', ends_at: 'timestamptz', provider: 'text', meeting: 'jsonb' }, sessions);

  // modules of courses
  const modules: object[] = [];
  trainings.slice(0, size.courses).forEach((t, k) => {
    const n = r.int(1, 4);
    for (let j = 0; j < n; j++) {
      const kind = k % 5 === 2 && j === n - 1 ? (r.chance(0.5) ? 'virtual_classroom' : 'classroom') : 'self_paced';
      const content = kind === 'self_paced' ? r.pick(CONTENT) : null;
      modules.push({ training_id: t.id, position: j + 1, name: `Module ${j + 1}`, kind, content_type: content,
        launch_url: content ? `https://content.example.com/${content}/${t.lo_id}/${j + 1}${content === 'aicc' ? '/au.au' : ''}` : null, duration_minutes: r.int(1, 8) * 5 });
    }
  });
  await insertJson(trx, 'training_modules', { training_id: 'bigint', position: 'int', name: 'text', kind: 'text', content_type: 'text', launch_url: 'text', duration_minutes: 'int' }, modules);

  const directIdx = [...Array(size.courses).keys(), ...Array.from({ length: size.certifications }, (_, k) => size.courses + size.paths + k)];
  return {
    directIds: directIdx.map((k) => tBase + k),
    directInstanceIds: directIdx.map((k) => iBase + k),
    lpIds: Array.from({ length: size.paths }, (_, k) => tBase + size.courses + k),
    lpInstanceIds: Array.from({ length: size.paths }, (_, k) => iBase + size.courses + k),
    counts: { skills: skills.length, skillLevels: levels.length, trainings: trainings.length, courses: size.courses, learningPaths: size.paths, certifications: size.certifications,
      instances: instances.length, sessions: sessions.length, modules: modules.length },
  };
}
