import fsp from 'node:fs/promises';
import type { Command } from 'commander';
import {
  createXapiImportConfig, deleteXapiImportConfig, discoverXapiColumns, getXapiImportConfig, listXapiImportConfigs, previewXapiImport, updateXapiImportConfig,
  type ConfigurationView,
} from '../../pipelines/import-xapi/config-service.ts';
import { XapiImportErrors } from '../../pipelines/import-xapi/errors.ts';
import type { Mapping } from '../../pipelines/import-xapi/import-options.ts';
import { XAPI_IMPORT_TYPES } from '../../pipelines/import-xapi/values.ts';
import { cliPrincipal, isJson, printTable, withContext } from '../cli-context.ts';

/**
 * `--map "<path>[:<type>]=<column>"`: the path is before the last ":type=" or "=", e.g.
 * --map "result.score.scaled:number=score" --map "context.extensions.http://example.com/dept=Department".
 * The column is after the last "=" (IRIs in paths may hold "=" only in the bracket form, ["..."]).
 */
export function parseMapSpec(spec: string): Mapping {
  const eq = spec.lastIndexOf('=');
  if (eq <= 0) throw XapiImportErrors.BAD_CONFIG.create({ detail: `--map "${spec}": expected <JSON path>[:<type>]=<column>`, field: 'map' });
  let path = spec.slice(0, eq).trim();
  let type: Mapping['type'] = 'string';
  const m = /^(.*):(\w+)$/.exec(path);
  if (m && (XAPI_IMPORT_TYPES as readonly string[]).includes(m[2])) {
    path = m[1].trim();
    type = m[2] as Mapping['type'];
  }
  return { path, type, column: spec.slice(eq + 1).trim() };
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

type Opts = { account?: string; name?: string; source?: string; map?: string[]; file?: string; dateFormat?: string; timeZone?: string };

/** The input given by --file (JSON, as the API takes it) and the flags over it. --map adds to or replaces mappings by path. */
async function inputOf(o: Opts, base?: ConfigurationView): Promise<Record<string, unknown>> {
  let input: Record<string, unknown> = {};
  if (o.file) input = JSON.parse(await fsp.readFile(o.file === '-' ? '/dev/stdin' : o.file, 'utf8')) as Record<string, unknown>;
  if (o.name) input.name = o.name;
  if (o.source) input.sourceFileName = o.source;
  if (o.dateFormat) input.dateFormat = o.dateFormat;
  if (o.timeZone) input.timeZone = o.timeZone;
  if (o.map?.length) {
    const given = o.map.map(parseMapSpec);
    const prior = (input.mappings as Mapping[] | undefined) ?? base?.mappings ?? [];
    input.mappings = [...prior.filter((p) => !given.some((g) => g.path === p.path)), ...given];
  }
  return input;
}

function printConfig(c: ConfigurationView, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(c, null, 2) + '\n');
    return;
  }
  process.stdout.write(`configuration ${c.id}: ${c.name} (source file ${c.sourceFileName})${c.ready ? '' : ` NOT READY: ${c.problems.join('; ')}`}\n`);
  process.stdout.write('mappings:\n');
  printTable(c.mappings.map((m) => ({ path: m.path, column: m.column || '(none)', type: m.type })));
  if (c.filters.length) {
    process.stdout.write('filters (a row must pass every filter):\n');
    printTable(c.filters.flatMap((f) => f.conditions.map((k) => ({ filter: f.name, match: f.match, column: k.column, op: k.op, value: k.value }))));
  }
}

export function register(program: Command): void {
  const x = program.command('xapi-import').description('Import xAPI configurations of a connection (source file, filters, mappings), columns, previews (docs/xapi-import.md); run with: lmc run <connection> import-xapi');
  const acct = (c: Command) => c.option('--account <slug|id>', 'account');
  const fields = (c: Command) =>
    c
      .option('--name <name>', 'configuration name')
      .option('--source <file>', 'source file name in import/xapi/: exact, or a glob (activity_*.csv)')
      .option('--map <spec>', 'a mapping "<JSON path>[:string|number|boolean|date]=<CSV column>" (repeat)', collect)
      .option('--date-format <fmt>', 'luxon format of non-ISO dates, e.g. "MM/dd/yyyy HH:mm"')
      .option('--time-zone <zone>', 'IANA zone of dates without offset (default UTC)')
      .option('--file <file>', 'JSON as the API takes it: {"name","sourceFileName","filters":[...],"mappings":[...]} ("-" for stdin)');

  acct(x.command('list <connection>').description('the configurations')).action(async (conn: string, o: { account?: string }, cmd: Command) => {
    await withContext(async (ctx) => {
      const rows = await listXapiImportConfigs(ctx, (await cliPrincipal(ctx, o.account)).accountId, Number(conn));
      printTable(isJson(cmd) ? rows.map((r) => ({ ...r })) : rows.map((r) => ({ id: r.id, name: r.name, source: r.sourceFileName, filters: r.filters.length, mappings: r.mappings.length, ready: r.ready })), isJson(cmd));
    });
  });
  acct(x.command('show <connection> <id>').description('a configuration: mappings and filters')).action(async (conn: string, id: string, o: { account?: string }, cmd: Command) => {
    await withContext(async (ctx) => printConfig(await getXapiImportConfig(ctx, (await cliPrincipal(ctx, o.account)).accountId, Number(conn), id), isJson(cmd)));
  });
  acct(fields(x.command('create <connection>').description('add a configuration (actor.mbox, verb.id, object.id are pre-filled; map them with --map)'))).action(
    async (conn: string, o: Opts, cmd: Command) => {
      await withContext(async (ctx) => printConfig(await createXapiImportConfig(ctx, (await cliPrincipal(ctx, o.account)).accountId, Number(conn), await inputOf(o)), isJson(cmd)));
    },
  );
  acct(fields(x.command('update <connection> <id>').description('change a configuration (flags given replace; --map adds or replaces by path)'))).action(
    async (conn: string, id: string, o: Opts, cmd: Command) => {
      await withContext(async (ctx) => {
        const accountId = (await cliPrincipal(ctx, o.account)).accountId;
        const current = await getXapiImportConfig(ctx, accountId, Number(conn), id);
        printConfig(await updateXapiImportConfig(ctx, accountId, Number(conn), id, await inputOf(o, current)), isJson(cmd));
      });
    },
  );
  acct(x.command('delete <connection> <id>').description('delete a configuration')).action(async (conn: string, id: string, o: { account?: string }) => {
    await withContext(async (ctx) => {
      await deleteXapiImportConfig(ctx, (await cliPrincipal(ctx, o.account)).accountId, Number(conn), id);
      process.stdout.write(`configuration ${id} deleted\n`);
    });
  });
  acct(x.command('columns <connection>').description('the CSV files in import/xapi/ and their columns').option('--source <glob>', 'only files matching')).action(
    async (conn: string, o: { account?: string; source?: string }, cmd: Command) => {
      await withContext(async (ctx) => {
        const r = await discoverXapiColumns(ctx, (await cliPrincipal(ctx, o.account)).accountId, Number(conn), o.source);
        // JSON keeps the columns a list (a column name may hold ", "); the table joins them for people.
        if (isJson(cmd)) return void process.stdout.write(JSON.stringify(r.files.map((f) => ({ file: f.name, columns: f.columns, ...(f.error ? { error: f.error } : {}) })), null, 2) + '\n');
        printTable(r.files.map((f) => ({ file: f.name, columns: f.error ?? f.columns.join(', ') })), false);
      });
    },
  );
  acct(
    x
      .command('preview <connection> <id>')
      .description('dry run of a configuration on the first rows of its first file: statement, skipped or rejected (nothing stored)')
      .option('--file-name <name>', 'a file of import/xapi/ (default: the first matching the source file name)')
      .option('--limit <n>', 'rows (at most 200)', '10'),
  ).action(async (conn: string, id: string, o: { account?: string; fileName?: string; limit: string }, cmd: Command) => {
    await withContext(async (ctx) => {
      const p = await previewXapiImport(ctx, (await cliPrincipal(ctx, o.account)).accountId, Number(conn), { configurationId: id, fileName: o.fileName, limit: Math.min(200, Number(o.limit) || 10) });
      if (isJson(cmd)) return void process.stdout.write(JSON.stringify(p, null, 2) + '\n');
      if (!p.file) return void process.stdout.write('no file in import/xapi/ matches the configuration\n');
      if (p.missingColumns.length) return void process.stdout.write(`${p.file} lacks the columns ${p.missingColumns.join(', ')}\n`);
      printTable(p.rows.map((r) => ({ file: r.file, line: r.line, outcome: r.outcome, detail: r.statement ? JSON.stringify(r.statement) : `${r.field ? r.field + ': ' : ''}${r.reason}` })));
    });
  });
}
