import type { Command } from 'commander';
import { getActionOptions, putActionOptions } from '../../engine/action-settings.ts';
import { createConnection, deleteConnection, getConnection, listConnections, testConnection, updateConnection } from '../../engine/connections.ts';
import { getSchedule, putSchedule } from '../../engine/schedules.ts';
import { CommonErrors } from '../../shared/errors.ts';
import { cliPrincipal, isJson, printTable, withContext } from '../cli-context.ts';

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** --settings '{"root":"/srv"}' and/or --set root=/srv --set auth.user=x (dotted paths; values parsed as JSON when they can be). */
export function settingsFrom(o: { settings?: string; set?: string[] }): Record<string, unknown> | undefined {
  if (!o.settings && !o.set?.length) return undefined;
  let out: Record<string, unknown> = {};
  if (o.settings) {
    try {
      out = JSON.parse(o.settings);
    } catch {
      throw CommonErrors.VALIDATION.create({ field: 'settings', detail: '--settings must be a JSON object' });
    }
  }
  for (const kv of o.set ?? []) {
    const i = kv.indexOf('=');
    if (i < 1) throw CommonErrors.VALIDATION.create({ field: 'set', detail: `expected key=value, got ${kv}` });
    const keys = kv.slice(0, i).split('.');
    let raw: unknown = kv.slice(i + 1);
    try {
      if (/^(true|false|null|-?\d+(\.\d+)?|\[.*\]|\{.*\})$/.test(raw as string)) raw = JSON.parse(raw as string);
    } catch {
      /* keep the string */
    }
    let cur = out;
    for (const k of keys.slice(0, -1)) cur = (cur[k] ??= {}) as Record<string, unknown>;
    cur[keys[keys.length - 1]] = raw;
  }
  return out;
}

export function register(program: Command): void {
  const c = program.command('connections').description('connections: a connector with its settings (secrets encrypted, never shown)');
  c.command('create')
    .requiredOption('--connector <id>', 'connector id (see `lmc connectors list`)')
    .requiredOption('--name <name>', 'connection name (unique per connector)')
    .option('--settings <json>', 'settings as a JSON object')
    .option('--set <key=value>', 'one setting (repeatable; dotted paths)', collect)
    .option('--disabled', 'create it disabled')
    .option('--account <slug|id>', 'account')
    .action(async (o: { connector: string; name: string; settings?: string; set?: string[]; disabled?: boolean; account?: string }, cmd: Command) => {
      await withContext(async (ctx) => {
        const p = await cliPrincipal(ctx, o.account);
        const conn = await createConnection(ctx, { accountId: p.accountId, userId: p.userId }, { connectorId: o.connector, name: o.name, settings: settingsFrom(o) ?? {}, enabled: !o.disabled });
        if (isJson(cmd)) printTable([conn], true);
        else process.stdout.write(`connection ${conn.id} created (${conn.connectorId} "${conn.name}")\n`);
      });
    });
  c.command('list')
    .option('--connector <id>', 'only this connector')
    .option('--account <slug|id>', 'account')
    .action(async (o: { connector?: string; account?: string }, cmd: Command) => {
      await withContext(async (ctx) => {
        const rows = await listConnections(ctx, (await cliPrincipal(ctx, o.account)).accountId, { connectorId: o.connector });
        printTable(isJson(cmd) ? rows : rows.map((r) => ({ id: r.id, connector: r.connectorId, name: r.name, enabled: r.enabled, settings: r.settings, secrets: Object.entries(r.secrets).map(([k, v]) => `${k}:${v ? 'set' : 'unset'}`).join(' ') })), isJson(cmd));
      });
    });
  c.command('show <id>')
    .description('a connection, its action settings and schedules')
    .option('--account <slug|id>', 'account')
    .action(async (id: string, o: { account?: string }) => {
      await withContext(async (ctx) => {
        const accountId = (await cliPrincipal(ctx, o.account)).accountId;
        const conn = await getConnection(ctx, accountId, Number(id));
        const { loadRegistry } = await import('../../engine/registry.ts');
        const actions = (await loadRegistry(ctx.log)).get(conn.connectorId).actions;
        const perAction: Record<string, unknown> = {};
        for (const a of actions) perAction[a.id] = { options: await getActionOptions(ctx, accountId, conn.id, a.id), schedule: await getSchedule(ctx, accountId, conn.id, a.id) };
        process.stdout.write(JSON.stringify({ ...conn, actions: perAction }, null, 2) + '\n');
      });
    });
  c.command('update <id>')
    .description('change name, enabled or settings (secrets not given keep their value)')
    .option('--name <name>')
    .option('--enable')
    .option('--disable')
    .option('--settings <json>')
    .option('--set <key=value>', 'one setting (repeatable)', collect)
    .option('--account <slug|id>', 'account')
    .action(async (id: string, o: { name?: string; enable?: boolean; disable?: boolean; settings?: string; set?: string[]; account?: string }) => {
      await withContext(async (ctx) => {
        const accountId = (await cliPrincipal(ctx, o.account)).accountId;
        const conn = await updateConnection(ctx, accountId, Number(id), { name: o.name, enabled: o.enable ? true : o.disable ? false : undefined, settings: settingsFrom(o) });
        process.stdout.write(`connection ${conn.id} updated\n`);
      });
    });
  c.command('delete <id>')
    .description('delete a connection (its run history is kept)')
    .option('--account <slug|id>', 'account')
    .action(async (id: string, o: { account?: string }) => {
      await withContext(async (ctx) => {
        await deleteConnection(ctx, (await cliPrincipal(ctx, o.account)).accountId, Number(id));
        process.stdout.write(`connection ${id} deleted\n`);
      });
    });
  c.command('test <id>')
    .option('--account <slug|id>', 'account')
    .action(async (id: string, o: { account?: string }) => {
      await withContext(async (ctx) => {
        const r = await testConnection(ctx, (await cliPrincipal(ctx, o.account)).accountId, Number(id));
        process.stdout.write(`${r.ok ? 'ok' : 'FAILED'}: ${r.message}\n`);
        if (!r.ok) process.exitCode = 1;
      });
    });
  c.command('options <id> <action>')
    .description("show an action's settings, or replace them with --set-json")
    .option('--set-json <json>', 'the new options as JSON')
    .option('--account <slug|id>', 'account')
    .action(async (id: string, action: string, o: { setJson?: string; account?: string }) => {
      await withContext(async (ctx) => {
        const accountId = (await cliPrincipal(ctx, o.account)).accountId;
        const out = o.setJson ? await putActionOptions(ctx, accountId, Number(id), action, JSON.parse(o.setJson)) : await getActionOptions(ctx, accountId, Number(id), action);
        process.stdout.write(JSON.stringify(out, null, 2) + '\n');
      });
    });
  c.command('schedule <id> <action>')
    .description('set the schedule of an action: --start 2026-03-01T02:30 --tz Europe/Paris --every 1 --unit days')
    .requiredOption('--start <local>', 'local start date and time, YYYY-MM-DDTHH:mm')
    .requiredOption('--tz <zone>', 'IANA time zone')
    .option('--every <n>', 'repeat every N units', (v) => Number(v), 1)
    .option('--unit <unit>', 'days or hours', 'days')
    .option('--disabled', 'save it disabled')
    .option('--account <slug|id>', 'account')
    .action(async (id: string, action: string, o: { start: string; tz: string; every: number; unit: 'days' | 'hours'; disabled?: boolean; account?: string }) => {
      await withContext(async (ctx) => {
        const accountId = (await cliPrincipal(ctx, o.account)).accountId;
        const s = await putSchedule(ctx, accountId, Number(id), action, { enabled: !o.disabled, startLocal: o.start, timeZone: o.tz, every: o.every, unit: o.unit });
        process.stdout.write(`schedule saved; next run at ${s.nextDueAt?.toISOString() ?? '-'}\n`);
      });
    });
}
