import { formatXapiPath, parseXapiPath, type PathStep } from '../xapi-paths/json-path.ts';
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
export type { PathStep };

/**
 * Parses a mapping path (the syntax shared with Export xAPI: src/pipelines/xapi-paths/json-path.ts); throws
 * LMC_ERR_XAPI_IMPORT_BAD_PATH naming the position of the problem. A mapping writes into a new statement,
 * so it must start with a property and cannot count array items from the end.
 * @example parseImportPath('context.extensions.http://x.com/y') // [{key:'context'},{key:'extensions'},{key:'http://x.com/y'}]
 */
export function parseImportPath(path: string, field = 'path'): PathStep[] {
  const bad = (detail: string) => XapiImportErrors.BAD_PATH.create({ detail, field });
  const steps = parseXapiPath(path, bad);
  if (!('key' in steps[0])) throw bad(`"${path}" at character 1: must start with a statement property`);
  const negative = steps.find((s) => 'index' in s && s.index < 0);
  if (negative) throw bad(`"${path}": an import cannot write to a negative array index`);
  return steps;
}

/** The path in its canonical form (dots; brackets for keys that are not plain names), for messages and comparisons. */
export const formatPath = formatXapiPath;

type Obj = Record<string, unknown>;

// A plain function, not a closure made per step: tsx compiles with keepNames, which wraps every closure it
// creates in a naming call (setAtPath spent most of its time there in bench/xapi-import.ts).
const containerFor = (next: PathStep | undefined): unknown => (next && 'index' in next ? [] : {});

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
    if ('index' in s) {
      if (!Array.isArray(cur)) return false;
      if (last) cur[s.index] = value;
      else {
        if (cur[s.index] === undefined) cur[s.index] = containerFor(next);
        cur = cur[s.index];
      }
    } else {
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return false;
      const o = cur as Obj;
      if (last) o[s.key] = value;
      else {
        if (o[s.key] === undefined) o[s.key] = containerFor(next);
        cur = o[s.key];
      }
    }
    if (!last && (typeof cur !== 'object' || cur === null)) return false;
  }
  return true;
}
