/**
 * Cuts a vendor's OpenAPI document down to the operations a simulator serves, with every schema they
 * reference (transitively), so a contract can be vendored beside the simulator without megabytes of paths we
 * never call. The operations and schemas are copied unchanged.
 *
 * @example npx tsx simulators/kit/openapi-prune.ts full-openapi.json simulators/box/contract/box-openapi.json 'GET /folders/{folder_id}' 'POST /files/content'
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

type Json = Record<string, unknown>;

/** Every local `#/components/<kind>/<name>` a value refers to, followed through the referenced parts. */
function collectRefs(doc: Json, start: unknown): Set<string> {
  const seen = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string' && x.startsWith('#/components/') && !seen.has(x)) {
        seen.add(x);
        walk(resolvePointer(doc, x));
      } else walk(x);
    }
  };
  walk(start);
  return seen;
}

function resolvePointer(doc: Json, ref: string): unknown {
  return ref
    .slice(2)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((o, k) => (o as Json | undefined)?.[k], doc);
}

/** The document with only `operations` ("METHOD /path") and the components they need. */
export function pruneOpenApi(doc: Json, operations: string[]): Json {
  const paths: Record<string, Json> = {};
  const srcPaths = doc.paths as Record<string, Json>;
  for (const op of operations) {
    const [method, p] = op.split(' ');
    const item = srcPaths[p];
    const operation = item?.[method.toLowerCase()];
    if (!operation) throw new Error(`the document has no operation ${op}`);
    const out = (paths[p] ??= Object.fromEntries(Object.entries(item).filter(([k]) => !['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'].includes(k))));
    out[method.toLowerCase()] = operation;
  }
  const refs = collectRefs(doc, paths);
  const components: Record<string, Json> = {};
  for (const ref of [...refs].sort()) {
    const [, , kind, name] = ref.split('/');
    (components[kind] ??= {})[name.replace(/~1/g, '/').replace(/~0/g, '~')] = resolvePointer(doc, ref) as Json;
  }
  const src = (doc.components ?? {}) as Record<string, Json>;
  if (src.securitySchemes) components.securitySchemes = src.securitySchemes;
  return { openapi: doc.openapi, info: doc.info, servers: doc.servers, security: doc.security, paths, components };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [input, output, ...ops] = process.argv.slice(2);
  if (!input || !output || !ops.length) {
    console.error('usage: openapi-prune.ts <openapi.json> <out.json> "METHOD /path" ...');
    process.exit(2);
  }
  const pruned = pruneOpenApi(JSON.parse(fs.readFileSync(input, 'utf8')) as Json, ops);
  fs.writeFileSync(output, JSON.stringify(pruned, null, 1) + '\n');
  console.log(`${output}: ${ops.length} operations, ${Object.keys((pruned.components as Json).schemas ?? {}).length} schemas`);
}
