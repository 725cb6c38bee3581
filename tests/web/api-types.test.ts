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
