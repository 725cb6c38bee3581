import type { Command } from 'commander';
import { listConnectionExports } from '../../pipelines/export-reports/exported-files.ts';
import { ALL_REPORTS } from '../../pipelines/export-reports/registry.ts';
import type { ComponentReportId, ReportId, TranscriptStatus } from '../../pipelines/export-reports/report-definition.ts';
import { openReportStream } from '../../pipelines/export-reports/report-stream.ts';
import { ReportErrors } from '../../pipelines/export-reports/errors.ts';
import { parseCliDate, writeCsvOut } from '../csv-output.ts';
import { cliPrincipal, isJson, printTable, withContext } from '../cli-context.ts';

interface RunOpts {
  from?: string;
  to?: string;
  status?: string;
  include?: string;
  out?: string;
  account?: string;
}

const badRange = (detail: string, field: string) => ReportErrors.BAD_RANGE.create({ detail, field });

export function register(program: Command): void {
  const report = program.command('report').description('run a report to a CSV file or stdout (docs/reports.md), list reports and exported files');
  report
    .command('list')
    .description('the reports, with their schema versions')
    .action(async (_o: unknown, cmd: Command) => {
      printTable(ALL_REPORTS.map(({ id, title, schemaVersion, rangeOn }) => ({ id, title, schemaVersion, rangeOn })), isJson(cmd));
    });
  report
    .command('exports <connectionId>')
    .description("the exported files in a file-drop connection's export/ folder, newest first")
    .option('--account <slug|id>', 'account')
    .action(async (id: string, o: { account?: string }, cmd: Command) => {
      await withContext(async (ctx) => {
        const p = await cliPrincipal(ctx, o.account);
        const files = await listConnectionExports(ctx, p.accountId, Number(id));
        printTable(files.map(({ path: file, size, modifiedAt }) => ({ path: file, size, modifiedAt })), isJson(cmd));
      });
    });
  for (const r of ALL_REPORTS) {
    const c = report
      .command(r.id)
      .description(`${r.title} report (schema v${r.schemaVersion}); range on ${r.rangeOn}`)
      .option('--from <date>', 'start of the range, inclusive (ISO 8601; without an offset, UTC: a date alone is midnight UTC)')
      .option('--to <date>', 'end of the range, exclusive')
      .option('--out <file>', 'write the CSV to this file (written under a temporary name, then renamed); default stdout')
      .option('--account <slug|id>', 'account');
    if (r.id === 'learner-transcript' || r.id === 'unified') c.option('--status <status>', 'all | completed | in_progress | not_started | unenrolled');
    if (r.id === 'unified') c.option('--include <reports>', 'comma-separated reports to combine (default: all)');
    c.action(async (o: RunOpts) => {
      await withContext(async (ctx) => {
        const p = await cliPrincipal(ctx, o.account);
        const rs = await openReportStream(ctx, r.id as ReportId, {
          accountId: p.accountId,
          from: parseCliDate(o.from, 'from', badRange),
          to: parseCliDate(o.to, 'to', badRange),
          status: o.status as TranscriptStatus | undefined,
          include: o.include ? (o.include.split(',').map((s) => s.trim()).filter(Boolean) as ComponentReportId[]) : undefined,
        }, { forPeople: true });
        await writeCsvOut(rs, o.out);
      });
    });
  }
}
