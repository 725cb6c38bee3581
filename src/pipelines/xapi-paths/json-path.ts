/**
 * The JSON paths that Import xAPI mappings and Export xAPI columns share (docs/xapi-import.md and
 * docs/xapi-export.md, "JSON paths"), so a path written for an import works in an export:
 *
 *   path    := step ( "." name | "[" index "]" | "[" quoted "]" )*      step := name | "[" ... "]"
 *   name    := one or more of A-Z a-z 0-9 _ -           e.g. actor.mbox, verb.display.en-US
 *   index   := an integer, negative counts from the end  e.g. context.contextActivities.parent[0].id
 *   quoted  := "..." (JSON string escapes) or '...' (no escapes)
 *                                                        e.g. context.extensions["http://example.com/ext/dept"]
 *   after a step "extensions", "." and the rest of the path is one key (an IRI)
 *                                                        e.g. context.extensions.http://example.com/ext/dept
 */
export type PathStep = { key: string } | { index: number };

const NAME = /^[A-Za-z0-9_-]+/;
const MAX_STEPS = 32;

/**
 * Parses a path into its steps. `bad` turns a problem (the path, the character position, why) into the caller's
 * own error, so each pipeline keeps its error code.
 * @example parseXapiPath('context.extensions["http://x/y"]', bad) // [{key:'context'},{key:'extensions'},{key:'http://x/y'}]
 */
export function parseXapiPath(path: string, bad: (detail: string) => Error): PathStep[] {
  const fail = (at: number, why: string) => bad(`"${path}" at character ${at + 1}: ${why}`);
  if (path.length === 0) throw fail(0, 'empty');
  if (path.length > 1000) throw fail(1000, 'longer than 1000 characters');
  const steps: PathStep[] = [];
  let i = 0;
  while (i < path.length) {
    const c = path[i];
    const prev = steps[steps.length - 1];
    if (prev && 'key' in prev && prev.key === 'extensions' && c === '.' && path[i + 1] !== '[') {
      // extensions.<IRI>: an IRI holds dots and colons, so everything after "extensions." is the key.
      const key = path.slice(i + 1);
      if (!key) throw fail(i, 'an extension key (an IRI) must follow "extensions."');
      steps.push({ key });
      break;
    }
    if (c === '[') {
      const rest = path.slice(i + 1);
      const int = /^(-?\d{1,9})\]/.exec(rest);
      if (int) {
        steps.push({ index: Number(int[1]) });
        i += 1 + int[0].length;
      } else if (rest[0] === '"') {
        // A JSON string: find its closing quote (skipping escaped characters), then let JSON.parse unescape it.
        let j = 1;
        while (j < rest.length && rest[j] !== '"') j += rest[j] === '\\' ? 2 : 1;
        if (j >= rest.length || rest[j + 1] !== ']') throw fail(i, 'a quoted key must end with "]');
        let key: string;
        try {
          key = JSON.parse(rest.slice(0, j + 1)) as string;
        } catch {
          throw fail(i, 'invalid escape in the quoted key');
        }
        steps.push({ key });
        i += 1 + j + 2;
      } else if (rest[0] === "'") {
        const j = rest.indexOf("'", 1);
        if (j < 0 || rest[j + 1] !== ']') throw fail(i, "a quoted key must end with ']");
        steps.push({ key: rest.slice(1, j) });
        i += 1 + j + 2;
      } else {
        throw fail(i, 'expected [0] (an array index) or ["key"] (a quoted key)');
      }
    } else {
      if (steps.length > 0) {
        if (c !== '.') throw fail(i, 'expected "." or "[" (quote keys such as IRIs: ["http://..."])');
        i++;
      }
      const m = NAME.exec(path.slice(i));
      if (!m) throw fail(i, 'expected a name (letters, digits, "_", "-"); quote other keys: ["http://..."]');
      steps.push({ key: m[0] });
      i += m[0].length;
    }
    if (steps.length > MAX_STEPS) throw fail(i, `more than ${MAX_STEPS} steps`);
  }
  return steps;
}

/** The canonical text of a path (names bare when they are plain words, other keys double-quoted). */
export function formatXapiPath(steps: PathStep[]): string {
  return steps
    .map((s, n) => ('index' in s ? `[${s.index}]` : /^[A-Za-z0-9_-]+$/.test(s.key) ? `${n ? '.' : ''}${s.key}` : `[${JSON.stringify(s.key)}]`))
    .join('');
}
