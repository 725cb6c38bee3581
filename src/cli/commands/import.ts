import { once } from 'node:events';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { getConnection } from '../../engine/connections.ts';
import { loadRegistry, userImportAction } from '../../engine/registry.ts';
import { approveRun, createOnDemandRun, errorReportCsv, getRun, getRunFile, rejectRun } from '../../engine/runs.ts';
import { discoverColumns, getMappingPage, saveFilters, saveImportSettings, saveMapping, uploadTemplate } from '../../pipelines/import-users/mapping-service.ts';
import { CommonErrors } from '../../shared/errors.ts';
import { cliPrincipal, isJson, printTable, reportRunFailure, withContext } from '../cli-context.ts';

const collect = (v: string, prev: string[]) => [...prev, v];
const print = (cmd: Command, v: unknown, text: () => void) => (isJson(cmd) ? process.stdout.write(JSON.stringify(v, null, 2) + '\n') : text());

/** Builds a mapping from `key=column` pairs: email, name, manager, userType, profile.<key>, fields.<active field>. */
function mappingFrom(pairs: string[], base: Record<string, any> = {}): Record<string, any> {
  const m: Record<string, any> = { profile: {}, fields: {}, ...base };
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw CommonErrors.VALIDATION.create({ detail: `expected key=column, got "${p}"`, field: '--set' });
    const key = p.slice(0, i).trim();
    const raw = p.slice(i + 1).trim();
    const value = raw === 'null' ? null : raw;
    if (key.startsWith('profile.')) m.profile = { ...m.profile, [key.slice(8)]: value };
    else if (key.startsWith('fields.')) m.fields = { ...m.fields, [key.slice(7)]: value };
    else m[key] = value;
  }
  return m;
}

export function register(program: Command): void {
  const imp = program.command('import').description('"Import Internal Users" of a connection (a file drop\'s CSV files or a vendor\'s users): mapping, template, filters, runs');
  const conn = (c: Command) => c.option('--account <slug|id>', 'account');

  conn(imp.command('mapping <connectionId>').description('the Map Attributes page: platform columns, mapped CSV columns, what is missing'))
    .action(async (id: string, o: { account?: string }, cmd: Command) => {
      await withContext(async (ctx) => {
        const p = await cliPrincipal(ctx, o.account);
        const page = await getMappingPage(ctx, p.accountId, Number(id));
        print(cmd, page, () => {
          const m = (page.options.mapping ?? {}) as Record<string, any>;
          const current = (key: string) => (key.startsWith('profile.') ? m.profile?.[key.slice(8)] : key.startsWith('fields.') ? m.fields?.[key.slice(7)] : m[key]) ?? '';
          printTable(page.platformColumns.map((c) => ({ column: c.key, required: c.required ? 'yes' : '', csvColumn: current(c.key), note: c.note ?? '' })));
          process.stdout.write(`template columns: ${page.csvColumns.join(', ') || '(none uploaded)'}\n`);
          process.stdout.write(page.ready ? 'ready: the import can run\n' : `not ready: ${page.problems.join('; ')}\n`);
        });
      });
    });

  conn(imp.command('map <connectionId>').description('save the mapping: --set email=Mail --set fields.Department=Dept ... (fields.X=DontImportFromSource; userType=null)'))
    .option('--set <key=column>', 'platform column = CSV column (repeatable)', collect, [])
    .option('--file <mapping.json>', 'a JSON mapping to start from')
    .option('--confirm-delete <field>', 'confirm deleting a csv active field set to DontImportFromSource (repeatable)', collect, [])
    .action(async (id: string, o: { account?: string; set: string[]; file?: string; confirmDelete: string[] }, cmd: Command) => {
      await withContext(async (ctx) => {
        const p = await cliPrincipal(ctx, o.account);
        const base = o.file ? JSON.parse(fs.readFileSync(o.file, 'utf8')) : ((await getMappingPage(ctx, p.accountId, Number(id))).options.mapping ?? {});
        const options = await saveMapping(ctx, p.accountId, Number(id), { mapping: mappingFrom(o.set, base), confirmDeleteFields: o.confirmDelete });
        print(cmd, options, () => process.stdout.write('mapping saved\n'));
      });
    });

  conn(imp.command('template <connectionId> <file.csv>').description('upload a template CSV: its header row lists the CSV columns to map'))
    .action(async (id: string, file: string, o: { account?: string }, cmd: Command) => {
      await withContext(async (ctx) => {
        const p = await cliPrincipal(ctx, o.account);
        const r = await uploadTemplate(ctx, p.accountId, Number(id), fs.createReadStream(file), file);
        print(cmd, r, () => process.stdout.write(`columns: ${r.columns.join(', ')}\n`));
      });
    });

  conn(imp.command('columns <connectionId>').description('the columns of the CSV files now in import/user/internal/'))
    .action(async (id: string, o: { account?: string }, cmd: Command) => {
      await withContext(async (ctx) => {
        const p = await cliPrincipal(ctx, o.account);
        const r = await discoverColumns(ctx, p.accountId, Number(id));
        print(cmd, r, () => printTable(r.files.map((f) => ({ file: f.name, columns: f.columns.join(', ') }))));
      });
    });

  conn(imp.command('filters <connectionId>').description('save the filters (replacing the previous ones; none: import everyone)'))
    .option('--manager <email>', 'only users under this manager, transitively (repeatable)', collect, [])
    .option('--value <Column=v1,v2>', 'only rows whose column equals one of the values (repeatable)', collect, [])
    .action(async (id: string, o: { account?: string; manager: string[]; value: string[] }, cmd: Command) => {
      await withContext(async (ctx) => {
        const p = await cliPrincipal(ctx, o.account);
        const values = o.value.map((v) => {
          const i = v.indexOf('=');
          if (i <= 0) throw CommonErrors.VALIDATION.create({ detail: `expected Column=v1,v2, got "${v}"`, field: '--value' });
          return { column: v.slice(0, i), values: v.slice(i + 1).split(',') };
        });
        const options = await saveFilters(ctx, p.accountId, Number(id), { managers: o.manager, values });
        print(cmd, options.filters, () => process.stdout.write(`filters saved: ${JSON.stringify(options.filters)}\n`));
      });
    });

  conn(imp.command('settings <connectionId>').description('absent users (keep | suspend | delete) and the approval threshold (0..1)'))
    .option('--absent <mode>', 'keep | suspend | delete')
    .option('--threshold <share>', 'e.g. 0.1 = 10% of the source\'s users')
    .action(async (id: string, o: { account?: string; absent?: 'keep' | 'suspend' | 'delete'; threshold?: string }, cmd: Command) => {
      await withContext(async (ctx) => {
        const p = await cliPrincipal(ctx, o.account);
        const options = await saveImportSettings(ctx, p.accountId, Number(id), { absentUsers: o.absent, approvalThreshold: o.threshold === undefined ? undefined : Number(o.threshold) });
        print(cmd, options, () => process.stdout.write(`absent users: ${options.absentUsers}, approval threshold: ${options.approvalThreshold}\n`));
      });
    });

  const waitFor = async (ctx: Parameters<Parameters<typeof withContext>[0]>[0], accountId: number, runId: number) => {
    for (;;) {
      const r = await getRun(ctx, accountId, runId);
      if (!['queued', 'running'].includes(r.status)) return r;
      await new Promise((res) => setTimeout(res, 300));
    }
  };
  const showRun = (cmd: Command, r: Awaited<ReturnType<typeof getRun>>) => {
    print(cmd, r, () => {
      process.stdout.write(`run ${r.id}: ${r.status}${r.dryRun ? ' (dry run)' : ''}${r.error ? ` — ${r.error}` : ''}${r.approval ? ` — needs approval: ${r.approval.reason}` : ''}\n`);
      process.stdout.write(`counts: ${Object.entries(r.counts).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
    });
    reportRunFailure(r);
  };

  conn(imp.command('run <connectionId>').description('run the import now (a worker executes it: lmc serve or lmc worker)'))
    .option('--dry-run', 'compute the change set without applying it')
    .option('--wait', 'wait until the run ends and print its outcome')
    .action(async (id: string, o: { account?: string; dryRun?: boolean; wait?: boolean }, cmd: Command) => {
      await withContext(async (ctx) => {
        const p = await cliPrincipal(ctx, o.account);
        // The connector's action that declares it is the user import (a file drop's CSV import, a vendor's users).
        const conn = await getConnection(ctx, p.accountId, Number(id));
        const action = userImportAction(await loadRegistry(ctx.log), conn.connectorId);
        const run = await createOnDemandRun(ctx, { accountId: p.accountId, userId: p.userId }, { connectionId: conn.id, actionId: action.id, dryRun: o.dryRun ?? false });
        showRun(cmd, o.wait ? await waitFor(ctx, p.accountId, run.id) : run);
      });
    });

  for (const [name, fn, what] of [['approve', approveRun, 'approve a run waiting for approval (it runs again, applying)'], ['reject', rejectRun, 'refuse a run waiting for approval (nothing is applied)']] as const) {
    conn(imp.command(`${name} <runId>`).description(what))
      .option('--wait', 'wait until the run ends')
      .action(async (id: string, o: { account?: string; wait?: boolean }, cmd: Command) => {
        await withContext(async (ctx) => {
          const p = await cliPrincipal(ctx, o.account);
          const r = await fn(ctx, { accountId: p.accountId, userId: p.userId }, Number(id));
          showRun(cmd, o.wait ? await waitFor(ctx, p.accountId, r.id) : r);
        });
      });
  }

  conn(imp.command('change-set <runId>').description("download a dry run's change set (CSV: action,email,field,old_value,new_value)"))
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action(async (id: string, o: { account?: string; out?: string }) => {
      await withContext(async (ctx) => {
        const p = await cliPrincipal(ctx, o.account);
        const f = await getRunFile(ctx, p.accountId, Number(id), 'change-set.csv');
        if (o.out) await pipeline(f.open(), fs.createWriteStream(o.out));
        else for await (const chunk of f.open()) if (!process.stdout.write(chunk)) await once(process.stdout, 'drain'); // streamed, at the reader's pace
      });
    });

  conn(imp.command('errors <runId>').description("download a run's error report (CSV: source,line,record_id,field,reason)"))
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action(async (id: string, o: { account?: string; out?: string }) => {
      await withContext(async (ctx) => {
        const p = await cliPrincipal(ctx, o.account);
        const csv = await errorReportCsv(ctx, p.accountId, Number(id));
        if (o.out) await pipeline(csv, fs.createWriteStream(o.out));
        else for await (const chunk of csv) process.stdout.write(chunk);
      });
    });
}
