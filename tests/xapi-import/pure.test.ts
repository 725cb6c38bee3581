import { describe, expect, it } from 'vitest';
import { applyFilters } from '../../src/pipelines/import-xapi/filters.ts';
import { ConfigurationSchema, XapiImportOptionsSchema } from '../../src/pipelines/import-xapi/import-options.ts';
import { parseImportPath, setAtPath } from '../../src/pipelines/import-xapi/json-path.ts';
import { compileConfiguration, rowToStatement } from '../../src/pipelines/import-xapi/row-to-statement.ts';
import { matchesSource } from '../../src/pipelines/import-xapi/source-files.ts';
import { statementIdOf, uuidV5 } from '../../src/pipelines/import-xapi/statement-id.ts';
import { parseDate } from '../../src/pipelines/import-xapi/values.ts';

// The pure parts of the xAPI import: paths, values, filters, ids, file matching, row -> statement.

describe('import paths', () => {
  it('parses dots, extensions.<IRI>, quoted keys and array items', () => {
    expect(parseImportPath('context.extensions.http://example.com/a.b?x=1')).toEqual([{ key: 'context' }, { key: 'extensions' }, { key: 'http://example.com/a.b?x=1' }]);
    expect(parseImportPath('result.extensions["http://x.com/y"]')).toEqual([{ key: 'result' }, { key: 'extensions' }, { key: 'http://x.com/y' }]);
    expect(parseImportPath('context.contextActivities.parent[0].id')).toEqual([{ key: 'context' }, { key: 'contextActivities' }, { key: 'parent' }, { index: 0 }, { key: 'id' }]);
    expect(() => parseImportPath('a..b')).toThrow(/LMC_ERR_XAPI_IMPORT_BAD_PATH|invalid JSON path/);
    const o: Record<string, unknown> = {};
    setAtPath(o, parseImportPath('context.contextActivities.parent[0].id'), 'http://x.com/p');
    expect(o).toEqual({ context: { contextActivities: { parent: [{ id: 'http://x.com/p' }] } } });
  });
});

describe('values, filters, ids and files', () => {
  it('dates: ISO 8601 or the configured format, in the configured zone', () => {
    expect(parseDate('2026-03-01')?.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(parseDate('03/01/2026 10:30', { dateFormat: 'MM/dd/yyyy HH:mm', timeZone: 'Europe/Paris' })?.toISOString()).toBe('2026-03-01T09:30:00.000Z');
    expect(parseDate('soon')).toBeUndefined();
  });

  it('filters: AND between filters, all/any inside, gt/lt on numbers and dates, bad cells rejected', () => {
    const f = [
      { name: 'a', match: 'any' as const, conditions: [{ column: 'x', op: 'equals' as const, value: '1' }, { column: 'x', op: 'contains' as const, value: 'ok' }] },
      { name: 'b', match: 'all' as const, conditions: [{ column: 'n', op: 'gt' as const, value: '10' }, { column: 'd', op: 'lt' as const, value: '2026-06-01' }] },
    ];
    expect(applyFilters(f, { x: 'is ok', n: '11', d: '2026-01-01' }, {})).toEqual({ pass: true });
    expect(applyFilters(f, { x: '2', n: '11', d: '2026-01-01' }, {})).toEqual({ pass: false, filter: 'a' });
    expect(applyFilters(f, { x: '1', n: '10', d: '2026-01-01' }, {})).toEqual({ pass: false, filter: 'b' });
    expect(applyFilters(f, { x: '1', n: 'ten', d: '2026-01-01' }, {})).toMatchObject({ reject: true, column: 'n' });
    expect(applyFilters(f, { x: '1', n: '11', d: 'june' }, {})).toMatchObject({ reject: true, column: 'd' });
    expect(applyFilters([{ name: 'e', match: 'all', conditions: [{ column: 'x', op: 'is_empty', value: '' }] }], { x: ' ' }, {})).toEqual({ pass: true });
  });

  it('statement ids: UUID v5 of configuration and row content (not file or order)', () => {
    // RFC 9562 test vector: UUID v5 of "www.example.com" in the DNS namespace
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    const c = '11111111-1111-4111-8111-111111111111';
    expect(statementIdOf(c, { a: '1', b: '2' })).toBe(statementIdOf(c, { b: '2', a: '1' }));
    expect(statementIdOf(c, { a: '1', b: '2' })).not.toBe(statementIdOf(c, { a: '1', b: '3' }));
    expect(statementIdOf(c, { a: '1' })).not.toBe(statementIdOf('22222222-2222-4222-8222-222222222222', { a: '1' }));
  });

  it('source files: exact names or globs', () => {
    expect(matchesSource('activity_*.csv', 'activity_2026.csv')).toBe(true);
    expect(matchesSource('activity_*.csv', 'Activity_2026.csv')).toBe(false);
    expect(matchesSource('a?.csv', 'ab.csv')).toBe(true);
    expect(matchesSource('a.csv', 'abcsv')).toBe(false);
  });
});

describe('row -> statement', () => {
  const config = ConfigurationSchema.parse({
    id: '11111111-1111-4111-8111-111111111111',
    name: 'c',
    sourceFileName: 'a.csv',
    mappings: [
      { path: 'actor.mbox', column: 'email' },
      { path: 'verb.id', column: 'verb' },
      { path: 'object.id', column: 'act' },
      { path: 'result.completion', column: 'done', type: 'boolean' },
    ],
  });
  const c = compileConfiguration(config);
  it('prepends mailto:, converts types, leaves objectType to the LRS defaults, names the column of a failure', () => {
    const ok = rowToStatement(c, { email: 'ada@example.com', verb: 'http://v.com/x', act: 'http://a.com/1', done: 'yes' });
    expect(ok).toMatchObject({ ok: true, statement: { actor: { mbox: 'mailto:ada@example.com' }, verb: { id: 'http://v.com/x' }, object: { id: 'http://a.com/1' }, result: { completion: true } } });
    expect(rowToStatement(c, { email: 'ada@example.com', verb: 'http://v.com/x', act: 'not an iri', done: '' })).toEqual({ ok: false, column: 'act', reason: expect.stringMatching(/^object\.id: must be an absolute IRI/) });
    expect(rowToStatement(c, { email: '', verb: 'http://v.com/x', act: 'http://a.com/1', done: '' })).toEqual({ ok: false, column: 'email', reason: expect.stringMatching(/actor\.mbox: is required/) });
  });

  it('mappings to id, stored, authority are refused; errors name the admin\'s own mapping position (issue 19, point 7)', () => {
    const base = { id: config.id, name: 'x', sourceFileName: 'a.csv' };
    for (const path of ['id', 'stored', 'authority', 'authority.name']) {
      // Only two mappings of the admin's, no required path among them: the error is about mapping 2.
      const r = ConfigurationSchema.safeParse({ ...base, mappings: [{ path: 'verb.id', column: 'v' }, { path, column: 'c' }] });
      expect(r.success, path).toBe(false);
      expect(r.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['mappings.1.path', expect.stringMatching(new RegExp(`^mapping 2: ${path.replace('.', '\\.')} cannot be mapped: `))]]);
    }
    // A path mapped twice among the admin's mappings names their positions, not positions shifted by required paths.
    const twice = ConfigurationSchema.safeParse({ ...base, mappings: [{ path: 'result.score.raw', column: 'a' }, { path: 'result.score.raw', column: 'b' }] });
    expect(twice.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['mappings.1.path', 'result.score.raw is mapped twice (mappings 1 and 2)']]);
  });

  it('options: the three required mappings are pre-filled; names unique', () => {
    const o = XapiImportOptionsSchema.parse({ configurations: [{ id: config.id, name: 'x', sourceFileName: 'a.csv', mappings: [] }] });
    expect(o.configurations[0].mappings.map((m) => m.path)).toEqual(['actor.mbox', 'verb.id', 'object.id']);
    expect(XapiImportOptionsSchema.safeParse({ configurations: [config, { ...config, name: 'C' }] }).success).toBe(false);
  });
});
