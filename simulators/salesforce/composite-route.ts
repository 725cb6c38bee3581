/**
 * sObject Collections upsert: PATCH /services/data/vXX.X/composite/sobjects/{object}/{externalIdField}
 * with { allOrNone, records: [{ attributes: { type }, ... }] }, at most 200 records; answers one SaveResult
 * per record, in order: { id, success, errors: [{ statusCode, message, fields }], created }.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_upsert.htm
 * With allOrNone, one failure rolls back the others (their errors say ALL_OR_NONE_OPERATION_ROLLED_BACK).
 * sObject Collections create: POST /services/data/vXX.X/composite/sobjects { allOrNone, records } (each record
 * names its type; no ids), same answers:
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_create.htm
 */
import type { FastifyInstance } from 'fastify';
import type { SfContext } from './context.ts';
import type { SaveResult } from './store.ts';

export function registerCompositeRoutes(app: FastifyInstance, ctx: SfContext): void {
  app.post('/services/data/:v/composite/sobjects', async (req, reply) => {
    if (!(await ctx.guard(req, reply))) return reply;
    const body = (req.body ?? {}) as { allOrNone?: boolean; records?: Array<Record<string, unknown>> };
    if (!Array.isArray(body.records)) return ctx.error(reply, 400, 'JSON_PARSER_ERROR', 'records is required');
    if (body.records.length > 200) return ctx.error(reply, 400, 'EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 200 records into this call', ['records']);
    const bad = body.records.findIndex((r) => !ctx.store.object(String((r.attributes as { type?: string } | undefined)?.type ?? '')) || 'Id' in r);
    if (bad >= 0) return ctx.error(reply, 400, 'INVALID_FIELD', `record ${bad}: each record needs attributes.type of an object, and no Id`);
    return body.records.map((r) => ctx.store.save(String((r.attributes as { type: string }).type), r));
  });

  app.patch('/services/data/:v/composite/sobjects/:object/:extId', async (req, reply) => {
    if (!(await ctx.guard(req, reply))) return reply;
    const { object, extId } = req.params as { object: string; extId: string };
    const o = ctx.store.object(object);
    if (!o) return ctx.error(reply, 404, 'NOT_FOUND', 'The requested resource does not exist');
    const f = ctx.store.field(o, extId);
    if (!f || !(f.externalId || f.name === 'Id')) return ctx.error(reply, 400, 'INVALID_FIELD', `Field name provided, ${extId} is not an External ID or indexed field for ${o.name}`);
    const body = (req.body ?? {}) as { allOrNone?: boolean; records?: Array<Record<string, unknown>> };
    if (!Array.isArray(body.records)) return ctx.error(reply, 400, 'JSON_PARSER_ERROR', 'records is required');
    if (body.records.length > 200) return ctx.error(reply, 400, 'EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 200 records into this call', ['records']);
    const wrongType = body.records.findIndex((r) => (r.attributes as { type?: string } | undefined)?.type?.toLowerCase() !== o.name.toLowerCase());
    if (wrongType >= 0) return ctx.error(reply, 400, 'INVALID_TYPE', `Each record must have attributes.type ${o.name} (record ${wrongType})`);
    if (!body.allOrNone) return body.records.map((r) => ctx.store.save(o.name, r, f.name));
    // allOrNone: try on a copy of the state, keep it only when every record saved.
    const snapshot = new Map([...ctx.store.records.get(o.name)!].map(([k, v]) => [k, { ...v }]));
    const results: SaveResult[] = body.records.map((r) => ctx.store.save(o.name, r, f.name));
    if (results.every((r) => r.success)) return results;
    ctx.store.restore(o.name, snapshot);
    return results.map((r) => (r.success ? { id: null, success: false, errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] }] } : r));
  });
}
