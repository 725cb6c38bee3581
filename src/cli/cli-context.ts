import type { Command } from 'commander';
import { openAppContext, type AppContext } from '../app-context.ts';
import { RunErrors } from '../engine/errors.ts';
import { createLogger } from '../shared/logger.ts';
import type { Principal } from '../platform/api-tokens.ts';
import { serverPrincipal } from '../platform/principals.ts';

export interface CliModule {
  register(program: Command): void;
}

/**
 * Runs a CLI action with an app context on the product's database (embedded unless DATABASE_URL), and
 * closes it afterwards. CLI commands call the same services as the API.
 */
export async function withContext<T>(fn: (ctx: AppContext) => Promise<T>, opts: { migrate?: boolean } = {}): Promise<T> {
  const ctx = await openAppContext({ migrate: opts.migrate ?? true, log: createLogger(process.env.LMC_LOG_LEVEL ?? 'warn') });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

/** The account and acting user of a CLI command (see serverPrincipal). */
export async function cliPrincipal(ctx: AppContext, account?: string): Promise<Principal> {
  return serverPrincipal(ctx.db, account);
}

/** Prints rows as an aligned table, or JSON with --json. */
export function printTable(rows: Array<Record<string, unknown>>, json = false): void {
  if (json) {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return;
  }
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const cols = Object.keys(rows[0]);
  const cell = (v: unknown) => (v instanceof Date ? v.toISOString() : v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const widths = cols.map((c) => Math.min(60, Math.max(c.length, ...rows.map((r) => cell(r[c]).length))));
  const line = (vals: string[]) => vals.map((v, i) => v.slice(0, 60).padEnd(widths[i])).join('  ').trimEnd();
  process.stdout.write(line(cols) + '\n' + rows.map((r) => line(cols.map((c) => cell(r[c])))).join('\n') + '\n');
}

/**
 * A run that ended failed or cancelled is a failure of the command that waited for it: its code and
 * message on stderr (`error LMC_ERR_...: ...`, as every CLI failure) and exit code 1.
 */
export function reportRunFailure(r: { status: string; error: string | null; errorCode: string | null }): void {
  if (r.status !== 'failed' && r.status !== 'cancelled') return;
  const fallback = r.status === 'cancelled' ? RunErrors.CANCELLED : RunErrors.FAILED;
  process.stderr.write(`error ${r.errorCode ?? fallback.code}: ${r.error ?? fallback.spec.message}\n`);
  process.exitCode = 1;
}

export function isJson(cmd: Command): boolean {
  return Boolean(cmd.optsWithGlobals().json);
}
