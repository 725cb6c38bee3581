import { execFile } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs `node bin/lmc.js ...args` as a user would, on the test's database and data directory. */
export function runLmc(ctx: { dbUrl: string; config: { dataDir: string; localDropRoots?: string[]; outboundAllowPrivate?: boolean | string[] } }, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  // The command sees what the test's context allows (local drop folders, private addresses).
  const operator: Record<string, string> = {};
  if (ctx.config.localDropRoots) operator.LMC_LOCAL_DROP_ROOTS = ctx.config.localDropRoots.join(path.delimiter);
  const allow = ctx.config.outboundAllowPrivate;
  if (allow !== undefined) operator.LMC_OUTBOUND_ALLOW_PRIVATE = Array.isArray(allow) ? allow.join(',') : String(allow);
  return new Promise((resolve) =>
    execFile(process.execPath, [path.join(root, 'bin/lmc.js'), ...args], {
      cwd: root,
      env: { ...process.env, ...operator, DATABASE_URL: ctx.dbUrl, LMC_DATA_DIR: ctx.config.dataDir, LMC_LOG_LEVEL: 'warn', ...env },
    }, (e, out, err) => resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, out, err })),
  );
}
