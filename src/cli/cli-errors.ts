import type { Argument, Command, Option } from 'commander';
import { isDbInputError } from '../shared/db-input-error.ts';
import { CommonErrors, LmcError } from '../shared/errors.ts';
import { CliErrors } from './errors.ts';

/** A positive whole number JavaScript counts exactly (ids are bigint in the database, never above this). */
function checkId(v: string, what: string): void {
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v)) || Number(v) < 1) {
    throw CommonErrors.VALIDATION.create({ field: what, detail: `${what}: "${v}" is not an id (a whole number from 1 to ${Number.MAX_SAFE_INTEGER})` });
  }
}

function checkCount(v: string, what: string, min: number): void {
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v)) || Number(v) < min) {
    throw CommonErrors.VALIDATION.create({ field: what, detail: `${what}: "${v}" is not a whole number of at least ${min}` });
  }
}

/**
 * Which arguments and options hold numeric ids or counts: `<connectionId>`, `<runId>`, `<connection>` everywhere,
 * `<id>` under the commands whose records have numeric ids (a connector's id is a word, an xAPI import
 * configuration's a UUID).
 */
const ID_ARGUMENT = /^(connection|connectionId|runId)$/;
const NUMERIC_ID_COMMANDS = new Set(['connections', 'ftp', 'lrs', 'runs', 'token', 'xapi-export']);
const ID_OPTIONS = new Set(['--connection', '--run', '--config']);
const COUNTS: Record<string, number> = { '--limit': 1, '--offset': 0 };

function wrapArgument(a: Argument, top: string): void {
  const name = a.name();
  const inner = a.parseArg;
  if (ID_ARGUMENT.test(name) || (name === 'id' && NUMERIC_ID_COMMANDS.has(top))) a.argParser((v: string, prev: unknown) => (checkId(v, name), inner ? inner(v, prev) : v));
  else if (name === 'emailOrId') a.argParser((v: string, prev: unknown) => (/^\d+$/.test(v) && checkId(v, name), inner ? inner(v, prev) : v));
}

function wrapOption(o: Option): void {
  const long = o.long ?? '';
  const inner = o.parseArg;
  if (ID_OPTIONS.has(long) && /<id>/.test(o.flags)) o.argParser((v: string, prev: unknown) => (checkId(v, long), inner ? inner(v, prev) : v));
  else if (long in COUNTS) o.argParser((v: string, prev: unknown) => (checkCount(v, long, COUNTS[long]), inner ? inner(v, prev) : v));
}

/**
 * Checks, on every command, the arguments that name ids (`<connectionId>`, `<runId>`, numeric `<id>`s) and the
 * `--limit`/`--offset` counts before any action runs, and words commander's own complaints (unknown option,
 * missing argument) as `error LMC_ERR_CLI_USAGE: ...`. Call once all commands are registered.
 */
export function guardCommandLine(program: Command): void {
  const visit = (c: Command, top: string) => {
    c.registeredArguments.forEach((a) => wrapArgument(a, top));
    c.options.forEach(wrapOption);
    c.configureOutput({ outputError: (str, write) => write(`error ${CliErrors.USAGE.code}: ${str.replace(/^error: /, '')}`) });
    c.commands.forEach((sub) => visit(sub, top || sub.name()));
  };
  visit(program, '');
}

/**
 * Any failure as an LmcError: the services' own, a database refusal of a value, a file the system could
 * not open, or (last) an unexpected error whose stack is shown only with LMC_DEBUG=1.
 */
export function toCliError(e: unknown): LmcError {
  if (e instanceof LmcError) return e;
  if (isDbInputError(e)) return CommonErrors.VALIDATION.create({ detail: e.message, cause: e });
  const errno = e as NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string };
  // A network failure (a database or server that is down) is not a file problem: name the address.
  if (errno?.syscall === 'connect' || errno?.syscall === 'getaddrinfo') {
    return CliErrors.UNREACHABLE.create({ detail: `${errno.code ?? 'failed'} ${errno.address ?? errno.hostname ?? ''}${errno.port ? `:${errno.port}` : ''}`.trim(), cause: e });
  }
  if (typeof errno?.code === 'string' && typeof errno.syscall === 'string') {
    return CliErrors.FILE.create({ detail: `${errno.code === 'ENOENT' ? 'no such file or folder' : errno.code === 'EACCES' || errno.code === 'EPERM' ? 'permission denied' : errno.code}${errno.path ? `: ${errno.path}` : ''}`, cause: e });
  }
  const message = (e as Error)?.message ?? String(e);
  return CliErrors.UNEXPECTED.create({ detail: message.split('\n')[0], cause: e });
}
