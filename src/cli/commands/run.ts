import type { Command } from 'commander';
import { createOnDemandRun, getRun, type RunView } from '../../engine/runs.ts';
import { FINAL_STATUSES } from '../../engine/runs.ts';
import { parseIsoDate } from '../../shared/dates.ts';
import { cliPrincipal, isJson, reportRunFailure, withContext } from '../cli-context.ts';

function bar(r: RunView): string {
  const { done, total, phase } = r.progress;
  const width = 30;
  const filled = total ? Math.min(width, Math.round((done / Math.max(1, total)) * width)) : 0;
  const graph = total ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}` : `${done} done`;
  return `run ${r.id} ${r.status.padEnd(9)} ${graph}${phase ? ` ${phase}` : ''}  read ${r.counts.read} rejected ${r.counts.rejected}`;
}

export function register(program: Command): void {
  program
    .command('run <connectionId> <action>')
    .description('run an action now (a worker executes it: `lmc serve` or `lmc worker` must be running)')
    .option('--since <date>', 'start of the window (ISO 8601 date or date-time; without an offset, UTC)')
    .option('--until <date>', 'end of the window (same format; default: until the run starts)')
    .option('--dry-run', 'compute the changes without applying them')
    .option('--disable-access', "put the account's learner-facing API in maintenance while it runs")
    .option('--wait', 'wait for the end, with a progress bar; exit code 1 unless completed')
    .option('--account <slug|id>', 'account')
    .action(async (connectionId: string, action: string, o: { since?: string; until?: string; dryRun?: boolean; disableAccess?: boolean; wait?: boolean; account?: string }, cmd: Command) => {
      await withContext(async (ctx) => {
        const p = await cliPrincipal(ctx, o.account);
        let r = await createOnDemandRun(ctx, { accountId: p.accountId, userId: p.userId }, {
          connectionId: Number(connectionId), actionId: action, since: o.since ? parseIsoDate(o.since, 'since') : null, until: o.until ? parseIsoDate(o.until, 'until') : null,
          dryRun: o.dryRun, disableAccess: o.disableAccess,
        });
        if (!o.wait) {
          if (isJson(cmd)) process.stdout.write(JSON.stringify(r) + '\n');
          else process.stdout.write(`run ${r.id} queued\n`);
          return;
        }
        const tty = process.stderr.isTTY;
        let last = '';
        while (!FINAL_STATUSES.includes(r.status) && r.status !== 'needs_approval') {
          await new Promise((res) => setTimeout(res, 300));
          r = await getRun(ctx, p.accountId, r.id);
          const line = bar(r);
          if (line !== last) process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
          last = line;
        }
        if (tty) process.stderr.write('\n');
        if (isJson(cmd)) process.stdout.write(JSON.stringify(r) + '\n');
        else process.stdout.write(`run ${r.id} ${r.status}${r.error ? `: ${r.error}` : ''}${r.note ? ` (${r.note})` : ''}; counts ${JSON.stringify(r.counts)}\n`);
        reportRunFailure(r);
        if (r.status !== 'completed') process.exitCode = 1;
      });
    });
}
