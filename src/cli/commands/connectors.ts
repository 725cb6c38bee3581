import type { Command } from 'commander';
import { describeConnector, loadRegistry } from '../../engine/registry.ts';
import { isJson, printTable, withContext } from '../cli-context.ts';

export function register(program: Command): void {
  const c = program.command('connectors').description('the connectors this server offers');
  c.command('list')
    .description('list connectors and their actions')
    .action(async (_o: unknown, cmd: Command) => {
      await withContext(async (ctx) => {
        const reg = await loadRegistry(ctx.log);
        if (isJson(cmd)) return printTable(reg.list().map((x) => describeConnector(x)) as never, true);
        printTable(reg.list().map((x) => ({ id: x.id, name: x.displayName, category: x.category, actions: x.actions.map((a) => a.id).join(', ') })));
        for (const b of reg.broken) process.stderr.write(`warning: connector in ${b.dir} failed to load: ${b.error}\n`);
      }, { migrate: false });
    });
  c.command('show <id>')
    .description('a connector with the JSON schema of its settings (secret fields marked)')
    .action(async (id: string) => {
      await withContext(async (ctx) => {
        process.stdout.write(JSON.stringify(describeConnector((await loadRegistry(ctx.log)).get(id), true), null, 2) + '\n');
      }, { migrate: false });
    });
}
