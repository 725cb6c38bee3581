/**
 * REST API resources of the simulated org:
 *  - GET /services/data (versions): https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_versions.htm
 *  - GET /services/data/vXX.X (resources by version): https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_discoveryresource.htm
 *  - GET .../limits (DailyApiRequests and others): https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm
 *  - GET .../sobjects (describeGlobal): https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_describeGlobal.htm
 *  - GET .../sobjects/{object}/describe: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm
 *  - GET .../query?q= and .../query/{locator} (queryMore through nextRecordsUrl; Sforce-Query-Options batchSize):
 *    https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm
 *    https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_queryoptions.htm
 *  - GET .../sobjects/{object}/deleted/?start=&end= (getDeleted): https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_getdeleted.htm
 *  - GET .../sobjects/{object}/{id}: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_retrieve_get.htm
 * Errors: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 */
import type { FastifyInstance } from 'fastify';
import { opaqueId } from './ids.ts';
import { describe } from './schema.ts';
import { parseSoql, runSoql, SoqlError } from './soql.ts';
import { knownVersion, versionList, type SfContext } from './context.ts';
import { sfDateTime } from './store.ts';

interface Cursor {
  rows: Record<string, unknown>[];
  pageSize: number;
}

export function registerRestRoutes(app: FastifyInstance, ctx: SfContext, limits: { max: number; used: () => number }): void {
  const cursors = new Map<string, Cursor>();
  let cursorSeq = 0;

  app.get('/services/data', async () => versionList());
  app.get('/services/data/', async () => versionList());

  // Every versioned resource checks the version first (404 NOT_FOUND, as Salesforce answers an unknown one).
  app.addHook('preHandler', async (req, reply) => {
    const m = /^\/services\/data\/([^/?]+)/.exec(req.url);
    if (m && !knownVersion(m[1])) return ctx.error(reply, 404, 'NOT_FOUND', 'The requested resource does not exist');
  });

  app.get('/services/data/:v', async (req, reply) => {
    if (!(await ctx.guard(req, reply))) return reply;
    const v = (req.params as { v: string }).v;
    const p = `/services/data/${v}`;
    return { sobjects: `${p}/sobjects`, query: `${p}/query`, queryAll: `${p}/queryAll`, limits: `${p}/limits`, composite: `${p}/composite`, jobs: `${p}/jobs` };
  });

  app.get('/services/data/:v/limits', async (req, reply) => {
    if (!(await ctx.guard(req, reply))) return reply;
    return {
      DailyApiRequests: { Max: limits.max, Remaining: Math.max(0, limits.max - limits.used()) },
      DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
      DailyBulkV2QueryFileStorageMB: { Max: 976562, Remaining: 976562 },
      DailyBulkApiBatches: { Max: 15000, Remaining: 15000 },
      DataStorageMB: { Max: 5120, Remaining: 5100 },
    };
  });

  app.get('/services/data/:v/sobjects', async (req, reply) => {
    if (!(await ctx.guard(req, reply))) return reply;
    const v = (req.params as { v: string }).v;
    return {
      encoding: 'UTF-8',
      maxBatchSize: 200,
      sobjects: [...ctx.store.objects.values()].map((o) => ({ name: o.name, label: o.label, labelPlural: o.labelPlural, keyPrefix: o.keyPrefix, custom: o.custom, queryable: true, createable: true, updateable: true, urls: { sobject: `/services/data/${v}/sobjects/${o.name}`, describe: `/services/data/${v}/sobjects/${o.name}/describe` } })),
    };
  });

  app.get('/services/data/:v/sobjects/:object/describe', async (req, reply) => {
    if (!(await ctx.guard(req, reply))) return reply;
    const { v, object } = req.params as { v: string; object: string };
    const o = ctx.store.object(object);
    if (!o) return ctx.error(reply, 404, 'NOT_FOUND', 'The requested resource does not exist');
    return describe(o, v);
  });
  app.get('/services/data/:v/sobjects/:object/describe/', async (req, reply) => reply.redirect(req.url.replace(/\/(\?|$)/, '$1'), 301));

  const page = (v: string, c: Cursor, id: string, from: number) => {
    const rows = c.rows.slice(from, from + c.pageSize);
    const done = from + c.pageSize >= c.rows.length;
    if (done) cursors.delete(id);
    return { totalSize: c.rows.length, done, ...(done ? {} : { nextRecordsUrl: `/services/data/${v}/query/${id}-${from + c.pageSize}` }), records: rows };
  };

  app.get('/services/data/:v/query', async (req, reply) => {
    if (!(await ctx.guard(req, reply))) return reply;
    const v = (req.params as { v: string }).v;
    const q = (req.query as { q?: string }).q;
    if (!q) return ctx.error(reply, 400, 'MALFORMED_QUERY', 'A query string must be provided.');
    let rows: Record<string, unknown>[];
    try {
      rows = runSoql(ctx.store, parseSoql(q), v);
    } catch (e) {
      if (e instanceof SoqlError) return ctx.error(reply, 400, e.errorCode, e.message);
      throw e;
    }
    const opt = /batchSize=(\d+)/i.exec(String(req.headers['sforce-query-options'] ?? ''));
    const pageSize = opt ? Math.min(2000, Math.max(200, Number(opt[1]))) : ctx.queryPageSize;
    const id = opaqueId('01g', ++cursorSeq);
    const c = { rows, pageSize: Math.min(pageSize, ctx.queryPageSize) };
    cursors.set(id, c);
    return page(v, c, id, 0);
  });

  app.get('/services/data/:v/query/:locator', async (req, reply) => {
    if (!(await ctx.guard(req, reply))) return reply;
    const { v, locator } = req.params as { v: string; locator: string };
    const [id, from] = locator.split('-');
    const c = cursors.get(id);
    if (!c || !/^\d+$/.test(from ?? '')) return ctx.error(reply, 400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    return page(v, c, id, Number(from));
  });

  const deleted = async (req: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => {
    if (!(await ctx.guard(req, reply))) return reply;
    const { object } = req.params as { object: string };
    const q = req.query as { start?: string; end?: string };
    const o = ctx.store.object(object);
    if (!o) return ctx.error(reply, 404, 'NOT_FOUND', 'The requested resource does not exist');
    const start = Date.parse(q.start ?? '');
    const end = Date.parse(q.end ?? '');
    if (Number.isNaN(start) || Number.isNaN(end)) return ctx.error(reply, 400, 'MALFORMED_QUERY', 'start and end must be dateTimes (yyyy-MM-ddTHH:mm:ss+00:00)', ['start', 'end']);
    if (end < start) return ctx.error(reply, 400, 'INVALID_REPLICATION_DATE', 'end date cannot be before start date');
    // Salesforce keeps deleted records 15 days and refuses older starts. It also ignores the seconds of start and
    // end; the simulator keeps them (tests would otherwise wait for the next minute). latestDateCovered tells
    // the client where to start next time, as in the org.
    const earliest = Date.now() - 15 * 86400_000;
    if (start < earliest - 60_000) return ctx.error(reply, 400, 'INVALID_REPLICATION_DATE', 'startDate before org replication enabled date');
    const latestCovered = Math.min(end, Date.now());
    const rows = ctx.store.deleted.get(o.name)!.filter((d) => d.deletedDate >= start && d.deletedDate <= end);
    return {
      deletedRecords: rows.map((d) => ({ id: d.id, deletedDate: sfDateTime(d.deletedDate) })),
      earliestDateAvailable: sfDateTime(Math.max(earliest, ctx.store.deleted.get(o.name)![0]?.deletedDate ?? earliest)),
      latestDateCovered: sfDateTime(latestCovered),
    };
  };
  app.get('/services/data/:v/sobjects/:object/deleted', deleted);
  app.get('/services/data/:v/sobjects/:object/deleted/', deleted);

  app.get('/services/data/:v/sobjects/:object/:id', async (req, reply) => {
    if (!(await ctx.guard(req, reply))) return reply;
    const { v, object, id } = req.params as { v: string; object: string; id: string };
    const o = ctx.store.object(object);
    const r = o && ctx.store.get(o.name, id);
    if (!o || !r) return ctx.error(reply, 404, 'NOT_FOUND', 'The requested resource does not exist');
    return { attributes: { type: o.name, url: `/services/data/${v}/sobjects/${o.name}/${id}` }, ...r };
  });
}
