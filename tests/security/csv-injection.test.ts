import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEngineEnv } from '../engine/helpers.ts';
useTestEngineEnv();
import type { apiClient } from '../helpers/api.ts';
import type { TestContext } from '../helpers/test-context.ts';
import { startImportApi, type ImportApiStack } from '../user-import/api-stack.ts';
import { openReportStream } from '../../src/pipelines/export-reports/report-stream.ts';
import { neutraliseFormula } from '../../src/shared/csv-formula.ts';

let stack: ImportApiStack;
let ctx: TestContext;
let dir: string;
let admin: ReturnType<typeof apiClient>;
let accountId: number;
let connectionId: number;
const inbox = () => path.join(dir, 'import/user/internal');

// Cells a spreadsheet would run as formulas (OWASP's list: = + - @ tab CR), and a plain negative number.
const NAME = '=HYPERLINK("http://evil.test","click")';
const TITLE = '-2+3+cmd|\' /C calc\'!A0';
const DEPT = '@SUM(1+9)*cmd';
const PLAIN = '-12';
const BAD_EMAIL = '=1+1';

beforeAll(async () => {
  stack = await startImportApi();
  ({ ctx, admin, accountId } = stack);
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-csv-injection-'));
  connectionId = (await admin.post('/api/v1/connections', { connectorId: 'local-directory', name: 'HR drop', settings: { root: dir } })).data.id;
  const put = await admin.put(`/api/v1/connections/${connectionId}/actions/import-users/settings`, {
    options: { mapping: { email: 'Email', name: 'Name', manager: 'Manager', userType: null, profile: { title: 'Title' }, fields: { Department: 'Dept' } } },
  });
  expect(put.statusCode, put.body).toBe(200);
});
afterAll(async () => {
  await stack?.stop();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

/** Every cell of a CSV, parsed as a spreadsheet would read it. */
const cells = (csv: string): string[] => (parse(csv, { relax_column_count: true }) as string[][]).flat();
const FORMULA_START = /^[=+\-@\t\r]/;
const formulas = (csv: string) => cells(csv).filter((c) => FORMULA_START.test(c) && !/^[-+]?\d+(\.\d+)?$/.test(c));

describe('spreadsheet formula injection (issue 13, point 9)', () => {
  it('the rule: a leading quote for formula-like cells, plain numbers and other text untouched', () => {
    for (const v of ['=1+1', '+1+1', '-1+1', '@SUM(A1)', '\t=1', '\r=1']) expect(neutraliseFormula(v)).toBe(`'${v}`);
    for (const v of ['-12', '+3.5', 'Ann', '', 'a=b', "'already"]) expect(neutraliseFormula(v)).toBe(v);
  });

  it('errors.csv and change-set.csv (dry run) show formula-like values as text', async () => {
    await fs.mkdir(inbox(), { recursive: true });
    const head = 'Email,Name,Manager,Title,Dept\n';
    const rows = [`ann@x.test,"${NAME.replace(/"/g, '""')}",,"${TITLE}",${DEPT}`, `bob@x.test,Bob,,${PLAIN},"+1+cmd"`, `"${BAD_EMAIL}",Bad,,,`];
    await fs.writeFile(path.join(inbox(), 'users.csv'), head + rows.join('\n') + '\n');
    const dry = await stack.runImport(connectionId, { dryRun: true });
    expect(dry.status, dry.error ?? '').toBe('completed_with_errors');

    const errors = (await admin.get(`/api/v1/runs/${dry.id}/errors.csv`)).body;
    expect(formulas(errors)).toEqual([]);
    expect(cells(errors)).toContain(`'${BAD_EMAIL}`);

    const cs = (await admin.get(`/api/v1/runs/${dry.id}/files/change-set.csv`)).body;
    expect(formulas(cs)).toEqual([]);
    const c = cells(cs);
    expect(c).toEqual(expect.arrayContaining([`'${NAME}`, `'${TITLE}`, `'${DEPT}`, "'+1+cmd", PLAIN]));
  });

  it('reports downloaded from the web app (API) and the CLI neutralise; exports into drops for other systems keep the values', async () => {
    const real = await stack.runImport(connectionId);
    expect(real.status, real.error ?? '').toBe('completed_with_errors');
    const download = await admin.get('/api/v1/reports/users');
    expect(download.statusCode, download.body).toBe(200);
    expect(formulas(download.body)).toEqual([]);
    expect(cells(download.body)).toEqual(expect.arrayContaining([`'${NAME}`, `'${DEPT}`, "'+1+cmd"]));

    const forDrop = await openReportStream(ctx, 'users', { accountId });
    const parts: Buffer[] = [];
    for await (const b of forDrop.stream) parts.push(b as Buffer);
    await forDrop.done;
    expect(cells(Buffer.concat(parts).toString('utf8'))).toEqual(expect.arrayContaining([NAME, DEPT, '+1+cmd']));
  });
});
