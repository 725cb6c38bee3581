import { execFile } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs `node bin/lmc.js ...args` as a user would, on the test's database and data directory. */
export function runLmc(ctx: { dbUrl: string; config: { dataDir: string } }, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) =>
    execFile(process.execPath, [path.join(root, 'bin/lmc.js'), ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: ctx.dbUrl, LMC_DATA_DIR: ctx.config.dataDir, LMC_LOG_LEVEL: 'warn', ...env },
    }, (e, out, err) => resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, out, err })),
  );
}
