import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { generatePassword, hashPassword } from '../../shared/passwords.ts';
import { createAccount, slugify } from '../accounts.ts';
import { syncAutomaticGroups } from '../groups/sync-automatic-groups.ts';
import { seedCatalog } from './seed-catalog.ts';
import { seedEnrollments, seedOutcomes } from './seed-enrollments.ts';
import { isBulkLoad, withSecondaryIndexesDeferred } from './deferred-indexes.ts';
import { insertJson } from './seed-sql.ts';
import { SEED_FIELDS, seedUsers } from './seed-users.ts';

export interface SeedOptions {
  users: number;
  seed: number;
  /** account slug; default demo-<seed> */
  account?: string;
  /** enrollments to create; default 5 per user */
  enrollments?: number;
  /** called with each phase's name and duration */
  onPhase?: (phase: string, ms: number) => void;
}

export interface SeedResult {
  accountId: number;
  slug: string;
  admin: { email: string; password: string };
  counts: Record<string, number>;
  phases: Array<{ phase: string; ms: number }>;
  totalMs: number;
}

/** Every seeded date is relative to this fixed instant, so a seed reproduces the same data on any day. */
export const SEED_BASE = new Date('2026-01-01T00:00:00Z');

/**
 * Creates a realistic demo account of any size, reproducible from `seed`: users in a manager hierarchy of
 * about 6 levels with 4 group-able csv fields and a manual one, their automatic groups, courses, learning
 * paths, certifications, instances, sessions, modules, skills with levels (some retired), enrollments in
 * every status (some through learning paths), achievements, feedback and gamification points.
 * Everything big is generated in SQL (INSERT ... SELECT generate_series), in one transaction.
 * Only the administrator's password is random; it is returned to be printed once.
 *
 * @example const r = await seedDemoAccount(ctx.db, { users: 1000, seed: 42 }); // r.slug === 'demo-42'
 */
export async function seedDemoAccount(db: Database, o: SeedOptions): Promise<SeedResult> {
  if (!Number.isInteger(o.users) || o.users < 2) throw new Error('--users must be an integer >= 2');
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 2 ** 31) throw new Error('--seed must be an integer between 0 and 2^31');
  const slug = slugify(o.account ?? `demo-${o.seed}`);
  const domain = `${slug}.example.com`;
  const target = o.enrollments ?? o.users * 5;
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  const phases: SeedResult['phases'] = [];
  const t0 = Date.now();
  let last = t0;
  const phase = (name: string) => {
    const now = Date.now();
    phases.push({ phase: name, ms: now - last });
    o.onPhase?.(name, now - last);
    last = now;
  };

  const out = await db.transaction().execute(async (trx) => {
    // Generated data is consistent by construction: skip foreign-key triggers when we may (superuser).
    const su = await sql<{ su: boolean }>`select rolsuper as su from pg_roles where rolname = current_user`.execute(trx);
    if (su.rows[0]?.su) await sql`set local session_replication_role = replica`.execute(trx);
    await sql`set local synchronous_commit = off`.execute(trx);
    await sql`set local work_mem = '256MB'`.execute(trx);

    const account = await createAccount(trx, { name: `Demo ${o.seed}`, slug });
    await insertJson(trx, 'active_fields', { account_id: 'bigint', name: 'text', kind: 'text', groupable: 'boolean' }, SEED_FIELDS.map((f) => ({ account_id: account.id, ...f })));
    const cat = await seedCatalog(trx, account.id, o.seed, o.users, SEED_BASE);
    phase('catalog');
    // Big loads go in with secondary indexes dropped and rebuilt after (see deferred-indexes.ts).
    const bulk = async <T>(tables: string[], rows: number, fn: () => Promise<T>) =>
      (await isBulkLoad(trx, tables[0], rows)) ? withSecondaryIndexesDeferred(trx, tables, fn) : fn();
    const { ubase } = await bulk(['users'], o.users, () => seedUsers(trx, account.id, o.seed, o.users, domain, SEED_BASE, passwordHash));
    phase('users');
    // Automatic groups' members are derived (migration 0006): only the groups themselves are written.
    const groups = await syncAutomaticGroups(trx, account.id);
    phase('groups');
    const { enr, outcomes } = await bulk(['enrollments', 'skill_achievements', 'feedback', 'gamification_points'], target, async () => {
      const enr = await seedEnrollments(trx, account.id, o.seed, o.users, ubase, target, cat, SEED_BASE);
      phase('enrollments');
      const outcomes = await seedOutcomes(trx, account.id, o.seed, ubase, Math.min(...cat.directIds, ...cat.lpIds));
      phase('outcomes');
      return { enr, outcomes };
    });
    phase('indexes');
    return { account, counts: { users: o.users, groups: groups.created, ...cat.counts, ...enr, enrollments: enr.learningPathEnrollments + enr.viaPathEnrollments + enr.directEnrollments, ...outcomes } };
  });
  // Fresh statistics so the first queries on the new data get good plans.
  await sql`analyze users, user_groups, user_group_members, enrollments, trainings, training_instances, skill_achievements, feedback, gamification_points`.execute(db);
  phase('analyze');
  return { accountId: out.account.id, slug, admin: { email: `admin@${domain}`, password }, counts: out.counts, phases, totalMs: Date.now() - t0 };
}
