import fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE, generateApiTypes } from '../../scripts/gen-api-types.ts';

// The web app's API types are generated from the OpenAPI document; a route change without
// `npm run gen:api-types` fails here (like Fastify's validator integrity test).
describe('web API types', () => {
  it('src/web/api/schema.d.ts is what `npm run gen:api-types` generates now', async () => {
    const committed = await fs.readFile(SCHEMA_FILE, 'utf8');
    const fresh = await generateApiTypes();
    expect(committed === fresh, 'src/web/api/schema.d.ts is stale: run `npm run gen:api-types`').toBe(true);
  });
});

// A path the OpenAPI document lacks would be typed `any` by the client: every API path the app calls must exist.
describe('web API paths', () => {
  it('every /api/v1 path the web app calls is in the OpenAPI document', async () => {
    const schema = await fs.readFile(SCHEMA_FILE, 'utf8');
    const known = new Set([...schema.matchAll(/^ {4}"(\/[^"]+)": \{/gm)].map((m) => m[1]));
    const missing: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const e of await fs.readdir(dir, { withFileTypes: true })) {
        const p = `${dir}/${e.name}`;
        if (e.isDirectory()) await walk(p);
        else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) {
          const text = await fs.readFile(p, 'utf8');
          for (const m of text.matchAll(/['`](\/api\/v1\/[^'`?$]*)/g)) if (!known.has(m[1])) missing.push(`${p}: ${m[1]}`);
        }
      }
    };
    await walk('src/web');
    expect(missing).toEqual([]);
  });
});
