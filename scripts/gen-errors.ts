// Writes docs/errors.md from the error definitions (see src/shared/error-catalog.ts).
import fs from 'node:fs/promises';
import { renderErrorCatalog } from '../src/shared/error-catalog.ts';

await fs.writeFile('docs/errors.md', await renderErrorCatalog());
process.stdout.write('docs/errors.md written\n');
