import fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderErrorCatalog } from '../src/shared/error-catalog.ts';

describe('docs/errors.md', () => {
  it('lists exactly the error codes defined in the code (run `npm run gen:errors` after adding one)', async () => {
    const current = await fs.readFile('docs/errors.md', 'utf8');
    expect(current).toBe(await renderErrorCatalog());
  });
});
