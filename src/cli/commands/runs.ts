import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { approveRun, cancelRun, errorReportCsv, getRunDetail, listRuns, rejectRun, rerunRun } from '../../engine/runs.ts';
import type { RunStatus } from '../../db/schema/engine.ts';
import { cliPrincipal, isJson, printTable, withContext } from '../cli-context.ts';

export function register(program: Command): void {
  const r = program.command('runs').description('run history: list, show, error reports, cancel, re-run, approvals');
  r.command('list')
    .option('--connection <id>', "a connection's history (includes a deleted connection with the same connector and name)", (v) => Number(v))
    .option('--action <id>')
    .option('--status <status>')
    .option('--limit <n>', 'how many (newest)', (v) => Number(v), 50)
    .option('--account <slug|id>', 'account')
    .action(async (o: { connection?: number; action?: string; status?: RunStatus; limit: number; account?: string }, cmd: Command) => {
      await withContext(async (ctx) => {
        const rows = (await listRuns(ctx, (await cliPrincipal(ctx, o.account)).accountId, { connectionId: o.connection, actionId: o.action, status: o.status, limit: o.limit, order: 'desc' })).reverse();
        printTable(isJson(cmd) ? rows : rows.map((x) => ({
          id: x.id, connection: x.connectionId, action: x.actionId, trigger: x.trigger, status: x.status, started: x.startedAt, seconds: x.durationMs === null ? '' : (x.durationMs / 1000).toFixed(1),
          read: x.counts.read, created: x.counts.created, updated: x.counts.updated, rejected: x.counts.rejected, worker: x.worker ? `${x.worker.host}:${x.worker.pid}` : '', error: x.error ?? x.note ?? '',
        })), isJson(cmd));
      });
    });
  r.command('show <id>')
    .description('a run with its counts, log and files')
    .option('--account <slug|id>', 'account')
    .action(async (id: string, o: { account?: string }) => {
      await withContext(async (ctx) => {
        process.stdout.write(JSON.stringify(await getRunDetail(ctx, (await cliPrincipal(ctx, o.account)).accountId, Number(id)), null, 2) + '\n');
      });
    });
  r.command('errors <id>')
    .description('download the error report (CSV) to a file or stdout')
    .option('-o, --out <file>', 'write to this file')
    .option('--account <slug|id>', 'account')
    .action(async (id: string, o: { out?: string; account?: string }) => {
      await withContext(async (ctx) => {
        const csv = await errorReportCsv(ctx, (await cliPrincipal(ctx, o.account)).accountId, Number(id));
        if (o.out) {
          await pipeline(csv, fs.createWriteStream(o.out));
          process.stderr.write(`error report written to ${o.out}\n`);
        } else await pipeline(csv, process.stdout, { end: false });
      });
    });
  const act = (name: string, desc: string, fn: typeof cancelRun | typeof rerunRun) =>
    r.command(`${name} <id>`).description(desc).option('--account <slug|id>', 'account').action(async (id: string, o: { account?: string }) => {
      await withContext(async (ctx) => {
        const p = await cliPrincipal(ctx, o.account);
        const actor = { accountId: p.accountId, userId: p.userId };
        const out = name === 'cancel' ? await cancelRun(ctx, p.accountId, Number(id), actor) : await (fn as typeof rerunRun)(ctx, actor, Number(id));
        process.stdout.write(`run ${out.id} ${out.status}${name === 'cancel' && out.status === 'running' ? ' (asked to stop)' : ''}\n`);
      });
    });
  act('cancel', 'cancel a queued run, or ask a running one to stop', cancelRun);
  act('rerun', 're-run the latest run of its action', rerunRun);
  act('approve', 'approve a run waiting for approval', approveRun);
  act('reject', 'refuse a run waiting for approval', rejectRun);
}
