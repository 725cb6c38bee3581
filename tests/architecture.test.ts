import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../src/engine/registry.ts';

// Keeps the arrows of ../shared/DESIGN.md true: connectors build on kit only; kit and the platform do not
// reach into the engine or the shells; the api and cli shells call services, never SQL.
const SRC = path.resolve('src');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : /\.tsx?$/.test(e.name) && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

interface Import { from: string; to: string; typeOnly: boolean }

function imports(file: string): Import[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: Import[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)) {
    const spec = m[3] ?? m[4];
    const to = spec.startsWith('.') ? path.relative(SRC, path.resolve(path.dirname(file), spec)) : `pkg:${spec}`;
    out.push({ from: path.relative(SRC, file), to, typeOnly: Boolean(m[2]) });
  }
  return out;
}

const all = fs.existsSync(SRC) ? files(SRC).flatMap(imports) : [];
const area = (p: string) => p.split(path.sep)[0];

function violations(pred: (i: Import) => boolean): string[] {
  return all.filter(pred).map((i) => `${i.from} -> ${i.to}`);
}

describe('architecture boundaries', () => {
  it('connectors import only the kit, shared helpers and their own folder (shared actions come by capability)', () => {
    expect(
      violations((i) => {
        if (area(i.from) !== 'connectors' || i.to.startsWith('pkg:')) return false;
        const own = i.from.split(path.sep).slice(0, 2).join(path.sep);
        // Type imports too: a connector reaches the platform through rc.platform and env ports, never a database.
        return !(i.to.startsWith(own) || ['kit', 'shared'].includes(area(i.to)));
      }),
    ).toEqual([]);
    expect(violations((i) => area(i.from) === 'connectors' && ['pkg:kysely', 'pkg:pg', 'pkg:pg-copy-streams'].includes(i.to))).toEqual([]);
  });

  it('the run context and connector hooks hand connectors no database (ports only)', () => {
    const kitApi = ['kit/run-context.ts', 'kit/define-connector.ts', 'kit/user-source.ts'].map((p) => p.split('/').join(path.sep));
    expect(violations((i) => kitApi.includes(i.from) && (i.to.startsWith('app-context') || i.to.startsWith(`db${path.sep}`)))).toEqual([]);
  });

  it('the kit and the platform do not depend on the engine, connectors or the shells', () => {
    expect(
      violations((i) => ['kit', 'platform'].includes(area(i.from)) && !i.typeOnly && ['engine', 'connectors', 'api', 'cli', 'web'].includes(area(i.to))),
    ).toEqual([]);
  });

  it('the platform knows no source format: it imports neither the kit nor the pipelines (their sources adapt to its ports)', () => {
    // runUserImport is a sink for any StagingSource; the CSV and vendor-record adapters live in src/pipelines/import-users.
    // Type imports too: a platform type naming a kit type would bring the kit's shapes into the platform.
    expect(violations((i) => area(i.from) === 'platform' && ['kit', 'pipelines', 'connectors'].includes(area(i.to)))).toEqual([]);
  });

  it('the vendor-API kit (auth, http, paging) stands alone: no database, platform, pipelines or engine', () => {
    const apiKit = (p: string) => /^kit\/(auth|http|paging)\//.test(p.split(path.sep).join('/'));
    expect(
      violations((i) => apiKit(i.from) && !i.to.startsWith('pkg:') && !['kit', 'shared'].includes(area(i.to))),
    ).toEqual([]);
    expect(violations((i) => apiKit(i.from) && ['pkg:kysely', 'pkg:pg'].includes(i.to))).toEqual([]);
  });

  it('the api and cli shells use services, not the query builder', () => {
    expect(violations((i) => ['api', 'cli'].includes(area(i.from)) && !i.typeOnly && (i.to === 'pkg:kysely' || i.to === 'pkg:pg'))).toEqual([]);
  });

  // Issue 14: the web app, API and CLI choose screens and commands from what an action declares (screens,
  // userImport), never from its id, so a new connector needs no change in them.
  it('the web app, API and CLI never name an action id nor compare a connector id or category with a literal', async () => {
    const reg = await loadRegistry();
    const ids = [...new Set(reg.list().flatMap((c) => c.actions.map((a) => a.id)))];
    expect(ids.length).toBeGreaterThan(3); // the rule checks something: the shared actions at least
    expect(shellActionIdUses(ids)).toEqual([]);
  }, 120_000);
});

const SHELLS = ['web', 'cli', 'api'].map((a) => path.join(SRC, a));
const GENERATED = [path.join(SRC, 'web', 'api', 'schema.d.ts')];

/**
 * Where a shell file names an action id: a string literal that is the id ('import-users'), or the id as a URL
 * query value or path segment inside one (`?action=import-users`, `/actions/import-users/`); and comparisons of
 * connectorId or category with a literal. Prose that mentions an id (a help text) is not a choice and passes.
 */
function shellActionIdUses(actionIds: string[], dirs = SHELLS): string[] {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const alt = actionIds.map(esc).join('|');
  const literal = new RegExp(`(['"\`])(${alt})\\1|[=/](${alt})(?=[/&'"\`?#])`, 'g');
  const compare = /\b(connectorId|category)\s*[!=]==?\s*['"`]|['"`][\w-]*['"`]\s*[!=]==?\s*[\w.?]*\b(connectorId|category)\b/g;
  const out: string[] = [];
  for (const file of dirs.filter((d) => fs.existsSync(d)).flatMap(files)) {
    if (GENERATED.includes(file)) continue;
    fs.readFileSync(file, 'utf8').split('\n').forEach((raw, i) => {
      const line = raw.replace(/\bfrom\s+['"][^'"]*['"]|import\(\s*['"][^'"]*['"]\s*\)/g, ''); // module paths are not choices
      for (const m of [...line.matchAll(literal), ...line.matchAll(compare)]) out.push(`${path.relative(SRC, file)}:${i + 1}: ${m[0]}`);
    });
  }
  return out;
}
