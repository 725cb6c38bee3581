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

/** Widest column of a table, and how many lines one cell may wrap over before it is cut with "…". */
const MAX_WIDTH = 60;
const MAX_CELL_LINES = 4;

/**
 * A cell's text over lines of at most `width` characters, broken after spaces (", " in lists) where it can.
 * Beyond MAX_CELL_LINES the last line ends with "…": a value is never cut without saying so.
 */
export function wrapCell(text: string, width: number): { lines: string[]; cut: boolean } {
  const lines: string[] = [];
  let rest = text.replace(/\s*\n\s*/g, ' ');
  while (rest.length > width) {
    const space = rest.lastIndexOf(' ', width);
    const at = space > width / 3 ? space : width;
    lines.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  lines.push(rest);
  if (lines.length <= MAX_CELL_LINES) return { lines, cut: false };
  const kept = lines.slice(0, MAX_CELL_LINES);
  kept[MAX_CELL_LINES - 1] = kept[MAX_CELL_LINES - 1].slice(0, width - 1) + '…';
  return { lines: kept, cut: true };
}

/**
 * Prints rows as an aligned table, or JSON with --json. A long value wraps within its column (up to
 * MAX_CELL_LINES lines, then "…" and a hint to use --json): columns were cut at 60 characters with no mark,
 * which dropped actions from `lmc connectors list`.
 */
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
  const widths = cols.map((c) => Math.min(MAX_WIDTH, Math.max(c.length, ...rows.map((r) => cell(r[c]).length))));
  let cut = false;
  const out: string[] = [cols.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()];
  for (const r of rows) {
    const cells = cols.map((c, i) => wrapCell(cell(r[c]), widths[i]));
    cut ||= cells.some((x) => x.cut);
    const height = Math.max(...cells.map((x) => x.lines.length));
    for (let l = 0; l < height; l++) out.push(cells.map((x, i) => (x.lines[l] ?? '').padEnd(widths[i])).join('  ').trimEnd());
  }
  if (cut) out.push('(values ending in … are cut: --json prints them in full)');
  process.stdout.write(out.join('\n') + '\n');
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
