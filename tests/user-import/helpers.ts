import { Readable } from 'node:stream';
import type { AppContext } from '../../src/app-context.ts';
import { createAccount } from '../../src/platform/accounts.ts';
import { createActiveField } from '../../src/platform/fields/active-fields.ts';
import { UserImportOptionsSchema, type UserImportOptionsInput } from '../../src/platform/user-import/import-options.ts';
import { runUserImport, type UserImportIo } from '../../src/platform/user-import/run-user-import.ts';
import { csvSource, type ImportFile } from '../../src/pipelines/import-users/csv-source.ts';

/** In-memory CSV files (string or raw bytes) in the order given. */
export function memFiles(files: Record<string, string | Buffer>): ImportFile[] {
  return Object.entries(files).map(([name, content]) => ({ name, open: async () => Readable.from([Buffer.isBuffer(content) ? content : Buffer.from(content)]) }));
}

export const MAPPING = { email: 'Email', name: 'Name', manager: 'Manager', userType: null, profile: { title: 'Title' }, fields: { Department: 'Dept' } };

/** An account with one group-able csv active field "Department". */
export async function newAccount(ctx: AppContext) {
  const account = await createAccount(ctx.db, { name: `Acme ${Math.random().toString(36).slice(2, 8)}` });
  await createActiveField(ctx.db, account.id, { name: 'Department', kind: 'csv', groupable: true });
  return account;
}

export interface Captured {
  rejects: Array<{ source: string; line?: number; recordId?: string; field?: string; reason: string }>;
  counts: Record<string, number>;
  changeSet?: string;
  approval?: { reason: string; summary: Record<string, unknown> };
}

export class NeedsApproval extends Error {}

/** Runs the import core with an io that records rejects, counts and the change set. */
export async function importCsv(
  ctx: AppContext,
  accountId: number,
  files: ImportFile[],
  opts: UserImportOptionsInput & { dryRun?: boolean; approved?: boolean; connectionId?: number; log?: UserImportIo['log'] } = {},
) {
  const cap: Captured = { rejects: [], counts: {} };
  const { dryRun, approved, connectionId, log, ...rest } = opts;
  const io: UserImportIo = {
    accountId,
    connectionId: connectionId ?? 1,
    options: UserImportOptionsSchema.parse({ mapping: MAPPING, ...rest }),
    dryRun: dryRun ?? false,
    approved: approved ?? false,
    source: csvSource(files),
    log,
    reject: async (r) => {
      cap.rejects.push(r);
    },
    count: (k, n) => {
      cap.counts[k] = (cap.counts[k] ?? 0) + n;
    },
    changeSet: async (csv) => {
      const parts: Buffer[] = [];
      for await (const c of csv) parts.push(c as Buffer);
      cap.changeSet = Buffer.concat(parts).toString('utf8');
    },
    requireApproval: (reason, summary) => {
      cap.approval = { reason, summary };
      throw new NeedsApproval(reason);
    },
  };
  const result = await runUserImport(ctx, io);
  return { result, ...cap };
}

export async function usersOf(ctx: AppContext, accountId: number) {
  return ctx.db
    .selectFrom('users as u')
    .leftJoin('users as m', 'm.id', 'u.manager_id')
    .select(['u.id', 'u.email', 'u.name', 'm.email as manager', 'u.state', 'u.profile', 'u.fields', 'u.data_source_id', 'u.updated_at'])
    .where('u.account_id', '=', accountId)
    .orderBy('u.email')
    .execute();
}
