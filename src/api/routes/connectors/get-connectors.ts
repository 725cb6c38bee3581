import { z } from 'zod';
import { describeConnector, loadRegistry } from '../../../engine/registry.ts';
import { ACTION_EDITORS } from '../../../kit/define-connector.ts';
import { defineRoutes } from '../../types.ts';

const Action = z.object({
  id: z.string(), displayName: z.string(), kind: z.enum(['import', 'export']), description: z.string(),
  scheduleUnits: z.array(z.enum(['days', 'hours'])), windowed: z.boolean(), supportsDryRun: z.boolean(),
  incremental: z.boolean().describe('reads only the changes since its last successful run'),
  screens: z.object({
    mapping: z.enum(ACTION_EDITORS).nullable().describe('the shared editor of its Mapping page; null: the form of its options schema'),
    filters: z.enum(ACTION_EDITORS).nullable().describe('the shared editor of its Filters page; null: the form of its options schema'),
    opensFirst: z.boolean().describe('the connection page opens this action first'),
  }).describe('what the web app shows for the action (chosen from this, never from the action id)'),
  userImport: z.boolean().describe("the platform's user import: Users > Import Log lists its runs, `lmc import run` starts it"),
  optionsSchema: z.record(z.string(), z.unknown()).optional(),
});
const Connector = z.object({
  id: z.string(), displayName: z.string(), description: z.string(), category: z.string(), actions: z.array(Action),
  capabilities: z.object({
    files: z.boolean().describe('has a file drop'),
    api: z.boolean().describe("calls the vendor's API"),
    users: z.object({ label: z.string().describe('what the source is called') }).nullable().describe("reads users from the vendor (the mapping offers the vendor's fields, not a template CSV's columns)"),
    sftp: z.enum(['hosted', 'remote']).nullable().describe("a file drop over SFTP: the product's hosted service, or a remote server with a pinned host key"),
  }),
  auth: z.object({ kind: z.string(), displayName: z.string(), interactive: z.boolean().describe("an admin signs in at the vendor's page (Connect)") }).nullable(),
  onePerAccount: z.boolean().describe('the account may have one connection of this connector only'),
  settingsSchema: z.record(z.string(), z.unknown()).optional().describe('JSON schema of the connection settings; secret fields carry "secret": true'),
  secretFields: z.array(z.string()).optional(),
});

export default defineRoutes((app) => {
  const access = { roles: ['integration_admin' as const] };
  app.get('/api/v1/connectors', {
    config: access,
    schema: { tags: ['connectors'], summary: 'The connectors this server offers, with their actions', response: { 200: z.object({ connectors: z.array(Connector) }) } },
  }, async () => ({ connectors: (await loadRegistry(app.ctx.log)).list().map((c) => describeConnector(c)) }));

  app.get('/api/v1/connectors/:id', {
    config: access,
    schema: {
      tags: ['connectors'],
      summary: 'A connector with the JSON schemas of its connection settings and action options (for forms)',
      params: z.object({ id: z.string() }),
      response: { 200: Connector },
    },
  }, async (req) => describeConnector((await loadRegistry(app.ctx.log)).get(req.params.id), true));
});
