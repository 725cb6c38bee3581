import fsp from 'node:fs/promises';
import type { Command } from 'commander';
import {
  createXapiExportConfig, deleteXapiExportConfig, getXapiExportConfig, listXapiExportConfigs, updateXapiExportConfig, XAPI_COLUMN_TYPES,
  type XapiExportColumn,
} from '../../pipelines/export-xapi/export-config.ts';
import { XapiExportErrors } from '../../pipelines/export-xapi/errors.ts';
import { openXapiExportStream, previewXapiExport } from '../../pipelines/export-xapi/export-stream.ts';
import { parseCliDate, writeCsvOut } from '../csv-output.ts';
import { cliPrincipal, isJson, printTable, withContext } from '../cli-context.ts';

/**
 * `--col "<header>[:<type>]=<path>"`: everything after the first "=" is the path (IRIs may hold ":" and "="),
 * e.g. --col "score:number=result.score.scaled" --col 'dept=context.extensions["http://example.com/dept"]'.
 */
export function parseColumnSpec(spec: string): XapiExportColumn {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw XapiExportErrors.BAD_CONFIG.create({ detail: `--col "${spec}": expected <header>[:<type>]=<path>`, field: 'col' });
  let column = spec.slice(0, eq).trim();
  let type: XapiExportColumn['type'] = 'string';
  const m = /^(.*):(\w+)$/.exec(column);
  if (m && (XAPI_COLUMN_TYPES as readonly string[]).includes(m[2])) {
    column = m[1].trim();
    type = m[2] as XapiExportColumn['type'];
  }
  return { column, type, path: spec.slice(eq + 1).trim() };
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** The configuration given by --file (JSON {name, columns}) and/or --name / --col, over `base`. */
async function inputOf(o: { file?: string; name?: string; col?: string[] }, base?: { name: string; columns: XapiExportColumn[] }) {
  let input: { name?: string; columns?: unknown } = base ? { ...base } : {};
  if (o.file) input = { ...input, ...(JSON.parse(await fsp.readFile(o.file === '-' ? '/dev/stdin' : o.file, 'utf8')) as object) };
  if (o.name) input.name = o.name;
  if (o.col?.length) input.columns = o.col.map(parseColumnSpec);
  return input;
}

function printConfig(c: { id: number; name: string; columns: XapiExportColumn[] }, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(c, null, 2) + '\n');
    return;
  }
  process.stdout.write(`configuration ${c.id}: ${c.name}\n`);
  printTable(c.columns.map((x) => ({ column: x.column, type: x.type, path: x.path })));
}

const badRange = (detail: string, field: string) => XapiExportErrors.BAD_RANGE.create({ detail, field });

export function register(program: Command): void {
  const x = program.command('xapi-export').description('xAPI export configurations (JSON path → CSV column), previews and CSV downloads (docs/xapi-export.md)');
  const acct = (c: Command) => c.option('--account <slug|id>', 'account');
  const cols = (c: Command) =>
    c
      .option('--name <name>', 'configuration name')
      .option('--col <spec>', 'a column: "<header>[:string|number|boolean|date]=<JSON path>" (repeat, in CSV order)', collect)
      .option('--file <file>', 'JSON {"name", "columns": [{"path", "column", "type"}]} ("-" for stdin)');

  acct(x.command('list').description('the configurations')).action(async (o: { account?: string }, cmd: Command) => {
    await withContext(async (ctx) => {
      const rows = await listXapiExportConfigs(ctx.db, (await cliPrincipal(ctx, o.account)).accountId);
      printTable(isJson(cmd) ? rows.map((r) => ({ ...r })) : rows.map((r) => ({ id: r.id, name: r.name, columns: r.columns.map((c) => c.column).join(', '), updatedAt: r.updatedAt })), isJson(cmd));
    });
  });
  acct(x.command('show <id>').description('a configuration and its columns')).action(async (id: string, o: { account?: string }, cmd: Command) => {
    await withContext(async (ctx) => printConfig(await getXapiExportConfig(ctx.db, (await cliPrincipal(ctx, o.account)).accountId, Number(id)), isJson(cmd)));
  });
  acct(cols(x.command('create').description('create a configuration'))).action(async (o: { account?: string; name?: string; col?: string[]; file?: string }, cmd: Command) => {
    await withContext(async (ctx) => printConfig(await createXapiExportConfig(ctx.db, (await cliPrincipal(ctx, o.account)).accountId, await inputOf(o)), isJson(cmd)));
  });
  acct(cols(x.command('update <id>').description('rename a configuration and/or replace its columns'))).action(
    async (id: string, o: { account?: string; name?: string; col?: string[]; file?: string }, cmd: Command) => {
      await withContext(async (ctx) => {
        const accountId = (await cliPrincipal(ctx, o.account)).accountId;
        const current = await getXapiExportConfig(ctx.db, accountId, Number(id));
        printConfig(await updateXapiExportConfig(ctx.db, accountId, current.id, await inputOf(o, current)), isJson(cmd));
      });
    },
  );
  acct(x.command('delete <id>').description('delete a configuration')).action(async (id: string, o: { account?: string }) => {
    await withContext(async (ctx) => {
      await deleteXapiExportConfig(ctx.db, (await cliPrincipal(ctx, o.account)).accountId, Number(id));
      process.stdout.write(`configuration ${id} deleted\n`);
    });
  });
  acct(
    x
      .command('preview <id>')
      .description('the first rows of the export, as the CSV would hold them')
      .option('--from <date>', 'stored on or after (ISO 8601; without an offset, UTC)')
      .option('--to <date>', 'stored before (exclusive)')
      .option('--limit <n>', 'rows (at most 200)', '20'),
  ).action(async (id: string, o: { account?: string; from?: string; to?: string; limit: string }, cmd: Command) => {
    await withContext(async (ctx) => {
      const accountId = (await cliPrincipal(ctx, o.account)).accountId;
      const c = await getXapiExportConfig(ctx.db, accountId, Number(id));
      const p = await previewXapiExport(ctx, c.columns, { accountId, from: parseCliDate(o.from, 'from', badRange), to: parseCliDate(o.to, 'to', badRange) }, Number(o.limit) || 20);
      if (isJson(cmd)) process.stdout.write(JSON.stringify(p, null, 2) + '\n');
      else printTable(p.rows.map((r) => Object.fromEntries(p.columns.map((k, i) => [k, r[i]]))));
    });
  });
  acct(
    x
      .command('csv <id>')
      .description('the export of a date range as CSV, to a file or stdout (the file the "Export xAPI" action writes)')
      .option('--from <date>', 'stored on or after (ISO 8601; without an offset, UTC)')
      .option('--to <date>', 'stored before (exclusive); default now')
      .option('--out <file>', 'write to this file (under a temporary name, then renamed); default stdout'),
  ).action(async (id: string, o: { account?: string; from?: string; to?: string; out?: string }) => {
    await withContext(async (ctx) => {
      const accountId = (await cliPrincipal(ctx, o.account)).accountId;
      const c = await getXapiExportConfig(ctx.db, accountId, Number(id));
      const rs = await openXapiExportStream(ctx, c.columns, { accountId, from: parseCliDate(o.from, 'from', badRange), to: parseCliDate(o.to, 'to', badRange) ?? ctx.clock.now() }, { forPeople: true });
      await writeCsvOut(rs, o.out);
    });
  });
}
