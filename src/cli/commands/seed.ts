import type { Command } from 'commander';
import { seedDemoAccount } from '../../platform/seed/seed.ts';
import { isJson, withContext } from '../cli-context.ts';

function int(name: string) {
  return (v: string) => {
    const n = Number(v.replace(/_/g, ''));
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number`);
    return n;
  };
}

export function register(program: Command): void {
  program
    .command('seed')
    .description('create a realistic demo account of any size, reproducible from --seed (users, groups, trainings, enrollments, skills, feedback)')
    .requiredOption('--users <n>', 'number of users', int('--users'))
    .option('--seed <n>', 'seed number: the same seed gives the same data', int('--seed'), 1)
    .option('--account <slug>', 'slug of the new account (default demo-<seed>)')
    .option('--enrollments <n>', 'number of enrollments (default 5 per user)', int('--enrollments'))
    .action(async (o: { users: number; seed: number; account?: string; enrollments?: number }, cmd: Command) => {
      await withContext(async (ctx) => {
        const json = isJson(cmd);
        const r = await seedDemoAccount(ctx.db, {
          ...o,
          onPhase: json ? undefined : (phase, ms) => process.stderr.write(`  ${phase.padEnd(12)} ${(ms / 1000).toFixed(1)} s\n`),
        });
        if (json) {
          process.stdout.write(JSON.stringify(r) + '\n');
          return;
        }
        const c = r.counts;
        process.stdout.write(
          `seeded account ${r.slug} (id ${r.accountId}) in ${(r.totalMs / 1000).toFixed(1)} s\n` +
            `  ${c.users} users, ${c.groups} groups, ${c.trainings} trainings (${c.courses} courses, ${c.learningPaths} learning paths, ${c.certifications} certifications)\n` +
            `  ${c.enrollments} enrollments (${c.learningPathEnrollments} in learning paths, ${c.viaPathEnrollments} through them), ` +
            `${c.skillAchievements} skill achievements, ${c.feedback} feedback, ${c.gamificationPoints} gamification entries\n` +
            `administrator:\n  email:    ${r.admin.email}\n  password: ${r.admin.password}\n`,
        );
      });
    });
}
