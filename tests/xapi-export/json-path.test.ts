import { describe, expect, it } from 'vitest';
import { formatJsonPath, parseJsonPath, pgPathElements } from '../../src/pipelines/export-xapi/json-path.ts';
import { validateColumns } from '../../src/pipelines/export-xapi/export-config.ts';

describe('xAPI export JSON paths', () => {
  it('parses dotted names, language tags, array indexes and quoted IRI keys', () => {
    expect(parseJsonPath('actor.mbox')).toEqual([{ key: 'actor' }, { key: 'mbox' }]);
    expect(parseJsonPath('verb.display.en-US')).toEqual([{ key: 'verb' }, { key: 'display' }, { key: 'en-US' }]);
    expect(parseJsonPath('context.contextActivities.parent[0].id')).toEqual([
      { key: 'context' }, { key: 'contextActivities' }, { key: 'parent' }, { index: 0 }, { key: 'id' },
    ]);
    expect(parseJsonPath('context.extensions["http://example.com/ext/a.b?c=[1]"]')).toEqual([
      { key: 'context' }, { key: 'extensions' }, { key: 'http://example.com/ext/a.b?c=[1]' },
    ]);
    expect(parseJsonPath("result.extensions['http://x/y'].v")).toEqual([{ key: 'result' }, { key: 'extensions' }, { key: 'http://x/y' }, { key: 'v' }]);
    expect(parseJsonPath('["a \\"quoted\\" key"][-1]')).toEqual([{ key: 'a "quoted" key' }, { index: -1 }]);
    expect(pgPathElements(parseJsonPath('a[2].b'))).toEqual(['a', '2', 'b']);
    // As in Import xAPI mappings: after "extensions." the rest of the path is one key (an IRI).
    expect(parseJsonPath('context.extensions.http://example.com/ext/a.b')).toEqual([{ key: 'context' }, { key: 'extensions' }, { key: 'http://example.com/ext/a.b' }]);
    expect(parseJsonPath('result.extensions["http://x/y"].v')).toEqual([{ key: 'result' }, { key: 'extensions' }, { key: 'http://x/y' }, { key: 'v' }]);
  });

  it('prints a canonical form that parses back to the same steps', () => {
    for (const p of ['actor.mbox', 'verb.display.en-US', 'a[0].b', 'context.extensions["http://example.com/x"]']) {
      expect(formatJsonPath(parseJsonPath(p))).toBe(p);
    }
    expect(formatJsonPath(parseJsonPath("x['http://y']"))).toBe('x["http://y"]');
  });

  it('refuses malformed paths with the position of the problem', () => {
    for (const [p, at] of [
      ['', 1], ['actor..mbox', 7], ['.actor', 1], ['actor.', 7], ['context.http://x', 13], ['context.extensions.', 19], ['a[x]', 2], ['a["b"', 2], ['a b', 2], ["a['b]", 2],
    ] as const) {
      expect(() => parseJsonPath(p), p).toThrow(expect.objectContaining({ code: 'LMC_ERR_XAPI_EXPORT_BAD_PATH', message: expect.stringContaining(`at character ${at}`) }));
    }
  });

  it('validates configuration columns: paths, unique headers, types', () => {
    expect(validateColumns([{ path: 'verb.id', column: 'Verb' }])).toEqual([{ path: 'verb.id', column: 'Verb', type: 'string' }]);
    expect(() => validateColumns([{ path: 'verb.id', column: 'Verb' }, { path: 'object.id', column: 'verb' }])).toThrow(
      expect.objectContaining({ code: 'LMC_ERR_XAPI_EXPORT_BAD_CONFIG', field: 'columns.1.column' }),
    );
    expect(() => validateColumns([{ path: 'verb..id', column: 'Verb' }])).toThrow(expect.objectContaining({ code: 'LMC_ERR_XAPI_EXPORT_BAD_PATH', field: 'columns.0.path' }));
    expect(() => validateColumns([{ path: 'verb.id', column: 'Verb', type: 'integer' }])).toThrow(expect.objectContaining({ field: 'columns.0.type' }));
    expect(() => validateColumns([])).toThrow(expect.objectContaining({ code: 'LMC_ERR_XAPI_EXPORT_BAD_CONFIG' }));
  });
});
