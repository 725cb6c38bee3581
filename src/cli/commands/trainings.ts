import type { Command } from 'commander';
import { listTrainings } from '../../platform/trainings/trainings.ts';
import { cliPrincipal, isJson, printTable, withContext } from '../cli-context.ts';

export function register(program: Command): void {
  const trainings = program.command('trainings').description('courses, learning paths and certifications');
  trainings
    .command('list')
    .description('list trainings (filter by type, search in name and LO id, paged)')
    .option('--account <slug|id>', 'account')
    .option('--type <type>', 'course | learning_path | certification')
    .option('--search <text>', 'part of the name or LO id')
    .option('--limit <n>', 'page size', '50')
    .option('--offset <n>', 'rows to skip', '0')
    .action(async (o: { account?: string; type?: 'course' | 'learning_path' | 'certification'; search?: string; limit: string; offset: string }, cmd: Command) => {
      await withContext(async (ctx) => {
        const p = await cliPrincipal(ctx, o.account);
        const page = await listTrainings(ctx.db, p.accountId, { type: o.type, search: o.search, limit: Number(o.limit), offset: Number(o.offset) });
        if (isJson(cmd)) {
          process.stdout.write(JSON.stringify(page, null, 2) + '\n');
          return;
        }
        printTable(page.items.map((t) => ({ id: t.id, loId: t.loId, type: t.type, name: t.name, state: t.state, minutes: t.durationMinutes })));
        process.stdout.write(`${page.offset + 1}-${page.offset + page.items.length} of ${page.total}\n`);
      });
    });
}
