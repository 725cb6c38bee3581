import { XapiImportErrors } from './errors.ts';

/**
 * The JSON paths of import mappings (docs/xapi-import.md, "JSON paths"): where a CSV value goes in the
 * statement.
 *
 *   actor.mbox, verb.id, verb.display.en-US, result.score.scaled      dot-separated names
 *   context.extensions.http://example.com/ext/dept                    after "extensions." the rest is one key (an IRI)
 *   context.extensions["http://example.com/ext/dept"]                 any key quoted in brackets
 *   context.contextActivities.parent[0].id                            [n] is an array item
 */
export type PathStep = { key: string } | { index: number };

const NAME = /^[A-Za-z0-9_-]+/;

/**
 * Parses a mapping path; throws LMC_ERR_XAPI_IMPORT_BAD_PATH naming the position of the problem.
 * @example parseImportPath('context.extensions.http://x.com/y') // [{key:'context'},{key:'extensions'},{key:'http://x.com/y'}]
 */
export function parseImportPath(path: string, field = 'path'): PathStep[] {
  const bad = (at: number, why: string) => XapiImportErrors.BAD_PATH.create({ detail: `"${path}" at character ${at + 1}: ${why}`, field });
  if (path.length === 0) throw bad(0, 'empty');
  if (path.length > 1000) throw bad(1000, 'longer than 1000 characters');
  const steps: PathStep[] = [];
  let i = 0;
  while (i < path.length) {
    const prev = steps[steps.length - 1];
    // extensions.<IRI>: an IRI holds dots and colons, so everything after "extensions." is the key.
    if (prev && 'key' in prev && prev.key === 'extensions' && path[i] === '.' && path[i + 1] !== '[') {
      const key = path.slice(i + 1);
      if (!key) throw bad(i, 'an extension key (an IRI) must follow "extensions."');
      steps.push({ key });
      break;
    }
    if (path[i] === '[') {
      const rest = path.slice(i + 1);
      const int = /^(\d{1,4})\]/.exec(rest);
      if (int) {
        steps.push({ index: Number(int[1]) });
        i += 1 + int[0].length;
      } else if (rest[0] === '"' || rest[0] === "'") {
        const q = rest[0];
        const j = rest.indexOf(q, 1);
        if (j < 0 || rest[j + 1] !== ']') throw bad(i, `a quoted key must end with ${q}]`);
        steps.push({ key: rest.slice(1, j) });
        i += 1 + j + 2;
      } else throw bad(i, 'expected [0] (an array index) or ["key"] (a quoted key)');
      continue;
    }
    if (steps.length > 0) {
      if (path[i] !== '.') throw bad(i, 'expected "." or "["');
      i++;
    }
    const m = NAME.exec(path.slice(i));
    if (!m) throw bad(i, 'expected a name (letters, digits, "_", "-"); quote other keys: ["key"]');
    steps.push({ key: m[0] });
    i += m[0].length;
  }
  if (steps.length > 32) throw bad(0, 'more than 32 steps');
  if (!('key' in steps[0])) throw bad(0, 'must start with a statement property');
  return steps;
}

/** The path in its canonical form (dots; brackets for keys that are not plain names), for messages and comparisons. */
export function formatPath(steps: PathStep[]): string {
  return steps
    .map((s, i) => ('index' in s ? `[${s.index}]` : NAME.exec(s.key)?.[0] === s.key ? (i === 0 ? s.key : `.${s.key}`) : `[${JSON.stringify(s.key)}]`))
    .join('');
}

type Obj = Record<string, unknown>;

/**
 * Sets `value` at `steps` in `target`, creating objects and arrays on the way. Returns false (and sets
 * nothing) when an earlier mapping put a plain value where this path needs an object or array.
 */
export function setAtPath(target: Obj, steps: PathStep[], value: unknown): boolean {
  let cur: unknown = target;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    const last = i === steps.length - 1;
    const next = steps[i + 1];
    const container = () => (next && 'index' in next ? [] : {});
    if ('index' in s) {
      if (!Array.isArray(cur)) return false;
      if (last) cur[s.index] = value;
      else {
        if (cur[s.index] === undefined) cur[s.index] = container();
        cur = cur[s.index];
      }
    } else {
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return false;
      const o = cur as Obj;
      if (last) o[s.key] = value;
      else {
        if (o[s.key] === undefined) o[s.key] = container();
        cur = o[s.key];
      }
    }
    if (!last && (typeof cur !== 'object' || cur === null)) return false;
  }
  return true;
}
