/**
 * Salesforce REST and Bulk API 2.0 calls through the kit's HTTP client (retries, waits, token renewal through
 * the engine's token store, counters in the run log). jsforce, Salesforce's JS client, is not used here: it
 * renews tokens itself (outside the engine's per-connection lock and encrypted store), has no backoff for
 * throttling or 5xx, and would bypass the kit's counters; the tests drive the simulator with jsforce instead.
 *  - errors [{ errorCode, message, fields }]: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 *  - query / queryMore (nextRecordsUrl): https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm
 *  - describe: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm
 *  - getDeleted: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_getdeleted.htm
 */
import type { Classifier, HttpClient } from '../../kit/http/index.ts';
import { paginate } from '../../kit/paging/index.ts';
import { SalesforceErrors } from './errors.ts';

export interface SfError {
  errorCode?: string;
  statusCode?: string;
  message?: string;
  fields?: string[];
}

/**
 * Salesforce's answers: errors are a JSON array; 401 INVALID_SESSION_ID is an expired session; 403
 * REQUEST_LIMIT_EXCEEDED is throttling (concurrent long requests: wait and retry) or the org's daily API
 * allowance spent ("TotalRequests Limit exceeded": waiting minutes will not help, the run fails).
 */
export const salesforceClassifier: Classifier = (res, body) => {
  if (res.status < 400) return undefined;
  const first = Array.isArray(body) ? (body[0] as SfError | undefined) : undefined;
  const d = { vendorCode: first?.errorCode, message: first?.message };
  if (res.status === 401 || first?.errorCode === 'INVALID_SESSION_ID') return { outcome: 'auth-expired', ...d };
  if (first?.errorCode === 'REQUEST_LIMIT_EXCEEDED') return /TotalRequests/i.test(first.message ?? '') ? { outcome: 'fatal', ...d } : { outcome: 'rate-limited', ...d };
  if (res.status === 429) return { outcome: 'rate-limited', ...d };
  if (res.status >= 500 || res.status === 408) return { outcome: 'retry', ...d };
  return { outcome: 'fatal', ...d };
};

export interface DescribeField {
  name: string;
  label: string;
  type: string;
  custom: boolean;
  externalId: boolean;
  /** Whether GROUP BY may use it (describe's groupable). */
  groupable?: boolean;
  relationshipName: string | null;
  referenceTo: string[];
  picklistValues?: Array<{ value: string; active: boolean }>;
}
export interface DescribeResult {
  name: string;
  label: string;
  custom: boolean;
  fields: DescribeField[];
}

/** sObject describe; a missing object is LMC_ERR_SALESFORCE_NO_SUCH_OBJECT (404 NOT_FOUND at Salesforce). */
export async function describeObject(http: HttpClient, object: string): Promise<DescribeResult> {
  try {
    return await http.get<DescribeResult>(`/sobjects/${encodeURIComponent(object)}/describe`);
  } catch (e) {
    if ((e as { httpStatus?: number }).httpStatus === 404) throw SalesforceErrors.NO_SUCH_OBJECT.create({ detail: object, cause: e });
    throw e;
  }
}

/** A SOQL string literal ('...' with backslash escapes). */
export const soqlString = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
/** A SOQL datetime literal (unquoted ISO 8601, UTC). */
export const soqlDateTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

const QUERY_PAGING = { kind: 'link', next: 'nextRecordsUrl', items: 'records' } as const;

/** Every record of a SOQL query, page after page (queryMore through nextRecordsUrl). */
export function query<T = Record<string, unknown>>(http: HttpClient, soql: string, batchSize = 2000): AsyncGenerator<T> {
  return paginate<T>(http, { path: '/query', query: { q: soql }, headers: { 'sforce-query-options': `batchSize=${batchSize}` } }, QUERY_PAGING) as AsyncGenerator<T>;
}

/**
 * The first page of a query and its totalSize, then the rest through queryMore, unless the caller chooses to
 * read the whole query another way (Bulk API 2.0 above a size) once it knows how many records there are.
 */
export async function firstPage<T = Record<string, unknown>>(http: HttpClient, soql: string, batchSize = 2000): Promise<{ totalSize: number; records: T[]; rest(): AsyncGenerator<T> }> {
  const page = await http.get<{ totalSize: number; done: boolean; nextRecordsUrl?: string; records: T[] }>('/query', { query: { q: soql }, headers: { 'sforce-query-options': `batchSize=${batchSize}` } });
  return {
    totalSize: page.totalSize,
    records: page.records,
    rest: async function* () {
      if (!page.done && page.nextRecordsUrl) yield* paginate<T>(http, { url: page.nextRecordsUrl, headers: { 'sforce-query-options': `batchSize=${batchSize}` } }, QUERY_PAGING) as AsyncGenerator<T>;
    },
  };
}

/** The ids of records deleted in [start, end], and up to when Salesforce's answer is complete. */
export async function getDeleted(http: HttpClient, object: string, start: Date, end: Date): Promise<{ ids: string[]; latestDateCovered: Date }> {
  const fmt = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, '+00:00');
  try {
    const r = await http.get<{ deletedRecords: Array<{ id: string }>; latestDateCovered: string }>(`/sobjects/${encodeURIComponent(object)}/deleted/`, { query: { start: fmt(start), end: fmt(end) } });
    return { ids: r.deletedRecords.map((d) => d.id), latestDateCovered: new Date(r.latestDateCovered.replace(/\+0000$/, 'Z')) };
  } catch (e) {
    if ((e as { vendorCode?: string }).vendorCode === 'INVALID_REPLICATION_DATE') throw SalesforceErrors.DELETED_WINDOW_EXPIRED.create({ cause: e });
    throw e;
  }
}

/** The value at a field path of a query record (`ReportsTo.Email` reads the nested parent; null when absent). */
export function fieldValue(rec: Record<string, unknown>, path: string): string | number | boolean | null {
  // Bulk API rows are flat, keyed by the path itself.
  if (path in rec) return (rec[path] as string | number | boolean | null | undefined) ?? null;
  let cur: unknown = rec;
  for (const p of path.split('.')) {
    if (!cur || typeof cur !== 'object') return null;
    cur = (cur as Record<string, unknown>)[p];
  }
  if (cur === undefined || cur === null) return null;
  return typeof cur === 'object' ? JSON.stringify(cur) : (cur as string | number | boolean);
}
