/**
 * Starts one vendor simulator on its own: `npm run sim -- <vendor>` (e.g. `npm run sim -- box`). Each
 * simulators/<vendor>/main.ts prints its URL and the credentials to put in a connection's settings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const vendors = fs
  .readdirSync(here, { withFileTypes: true })
  .filter((e) => e.isDirectory() && fs.existsSync(path.join(here, e.name, 'main.ts')))
  .map((e) => e.name)
  .sort();
const vendor = process.argv[2];
if (!vendor || !vendors.includes(vendor)) {
  process.stderr.write(`usage: npm run sim -- <vendor>\nvendors: ${vendors.join(', ')}\n`);
  process.exit(2);
}
await import(pathToFileURL(path.join(here, vendor, 'main.ts')).href);
