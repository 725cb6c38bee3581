// The floor of bench/api-import.ts, in its own process so its peak RSS is its own: the same Graph pages the
// Entra ID import reads (/users, $select of the mapped fields, $expand=manager, pages of 999) fetched through
// the kit's client and parsed, with no import.
// Usage: node --import tsx bench/api-fetch-run.ts <simulator url> <tenant id> <client id> <client secret>
import { entraAuth } from '../src/connectors/entra-id/settings.ts';
import { classifyGraph } from '../src/connectors/entra-id/graph-errors.ts';
import { PAGE_SIZE } from '../src/connectors/entra-id/read-users.ts';
import { selectOf } from '../src/connectors/entra-id/user-values.ts';
import { memoryTokenStore } from '../src/kit/auth/index.ts';
import { createHttpClient } from '../src/kit/http/index.ts';
import { pages } from '../src/kit/paging/index.ts';

const BENCH_FIELDS = ['mail', 'displayName', 'manager.mail', 'jobTitle', 'department'];

const [url, tenantId, clientId, clientSecret] = process.argv.slice(2);
const connection = { tenantId, loginBaseUrl: url };
const auth = entraAuth.open({ clientId, clientSecret }, { tokens: memoryTokenStore(), connection, now: () => Date.now() });
const http = createHttpClient({ baseUrl: `${url}/v1.0`, auth, classify: classifyGraph, limits: { concurrency: 4 } });
const t0 = performance.now();
let rows = 0;
let n = 0;
const query = { $select: selectOf(BENCH_FIELDS).join(','), $top: PAGE_SIZE, $expand: 'manager($select=id,mail,userPrincipalName)' };
for await (const res of pages(http, { path: '/users', query }, { kind: 'link', next: '@odata.nextLink', items: 'value' }, { prefetch: true })) {
  n++;
  rows += ((res.data as { value: unknown[] }).value ?? []).length;
}
const ms = performance.now() - t0;
await http.close();
process.stdout.write(JSON.stringify({ rows, pages: n, ms, peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
process.exit(0);
