import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { LmcError } from '../shared/errors.ts';
import type { CliModule } from './cli-context.ts';

const commandsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'commands');

/** Commands are found by convention: each file of src/cli/commands exports `register(program)`. */
async function main(): Promise<void> {
  const program = new Command('lmc')
    .description('Learning manager connectors: integration hub of the learning platform')
    .option('--json', 'print machine-readable JSON')
    .showHelpAfterError();
  const files = (await fs.readdir(commandsDir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort();
  for (const f of files) {
    const mod = (await import(pathToFileURL(path.join(commandsDir, f)).href)) as CliModule;
    mod.register(program);
  }
  await program.parseAsync(process.argv);
}

main().catch((e: unknown) => {
  if (e instanceof LmcError) {
    process.stderr.write(`error ${e.code}: ${e.message}${e.field ? ` (field ${e.field})` : ''}\n`);
    process.exit(e.status >= 500 ? 2 : 1);
  }
  // Never a stack trace for the user; LMC_LOG_LEVEL=debug shows it to whoever reports a bug.
  const debug = ['debug', 'trace'].includes(process.env.LMC_LOG_LEVEL ?? '');
  const err = e instanceof Error ? e : new Error(String(e));
  process.stderr.write(debug ? `error: ${err.stack}\n` : `error: ${err.message} (LMC_LOG_LEVEL=debug shows the details)\n`);
  process.exit(2);
});
