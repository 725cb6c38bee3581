/**
 * Reads workers with Get_Workers, page by page (Response_Filter Page/Count; Response_Results Total_Pages), as
 * the shared user import's records
 * (https://community.workday.com/sites/default/files/file-hosting/productionapi/Human_Resources/v40.1/Get_Workers.html).
 *  - A full read asks for active workers only (Exclude_Inactive_Workers): terminated workers are absent, and the
 *    import keeps, suspends or deletes the users absent from a full read as the admin chose.
 *  - A delta read asks for the workers the transaction log shows updated since the last successful run
 *    (Transaction_Log_Criteria_Data Updated_From/Updated_Through, with an overlap for late-logged changes):
 *    a terminated worker among them is reported removed.
 *  - "Exclude Contingent Workers" is Workday's own Exclude_Contingent_Workers criterion. Changing it makes the
 *    next read a full one, so workers it now leaves out are handled as absent.
 */
import { z } from 'zod';
import type { RunContext } from '../../kit/run-context.ts';
import type { SourceItem, UserSourceRead } from '../../kit/user-source.ts';
import { attribute, managerWorkerId, refId, responseGroupFor, textValue } from './attributes.ts';
import { callWorkdayText, type XmlNode } from './client.ts';
import { WorkdayErrors } from './errors.ts';
import type { WorkdaySettings } from './settings.ts';
import { WorkerPageReader } from './worker-page.ts';

/** Workers per page (Workday returns 100 by default and at most 999). */
export const PAGE_SIZE = 100;
/** Changes logged up to this long before the last run's end are read again (Workday logs some late). */
export const OVERLAP_MS = 5 * 60_000;

export const workdayImportState = z.object({
  /** Updated_Through of the last successful read (ISO date-time). */
  updatedThrough: z.string(),
  excludeContingentWorkers: z.boolean(),
});
export type WorkdayImportState = z.infer<typeof workdayImportState>;

/**
 * A Get_Workers page read for these fields (worker-page.ts: only the parts they need are kept). Throws
 * LMC_ERR_WORKDAY_BAD_RESPONSE for an answer that is not well-formed XML or holds no Get_Workers_Response.
 */
export function readPage(text: string, fields: string[]): { results: XmlNode; workers: XmlNode[] } {
  const reader = new WorkerPageReader(fields);
  try {
    reader.write(text);
    reader.end();
  } catch (e) {
    throw WorkdayErrors.BAD_RESPONSE.create({ detail: (e as Error).message, cause: e });
  }
  if (!reader.page.hasResponse) throw WorkdayErrors.BAD_RESPONSE.create({ detail: 'no Get_Workers_Response in the answer' });
  return { results: reader.page.results ?? {}, workers: reader.take() };
}

export async function readWorkers(rc: RunContext<WorkdaySettings, unknown, WorkdayImportState>, want: { fields: string[] }, o: { pageSize?: number } = {}): Promise<UserSourceRead> {
  const s = rc.connection.settings;
  const now = new Date();
  const prev = rc.state.current;
  const delta = prev !== null && prev.excludeContingentWorkers === s.excludeContingentWorkers;
  const from = delta ? new Date(new Date(prev.updatedThrough).getTime() - OVERLAP_MS) : null;
  const fields = want.fields.filter((f) => attribute(f));
  const group = responseGroupFor(fields);
  rc.log('info', delta ? `reading the workers Workday logged as changed since ${from!.toISOString()}` : 'reading every active worker (full read)', { fields: fields.length, excludeContingentWorkers: s.excludeContingentWorkers });
  rc.state.stage({ updatedThrough: now.toISOString(), excludeContingentWorkers: s.excludeContingentWorkers });

  const criteria: XmlNode = {
    ...(from ? { 'wd:Transaction_Log_Criteria_Data': { 'wd:Transaction_Date_Range_Data': { 'wd:Updated_From': from.toISOString(), 'wd:Updated_Through': now.toISOString() } } } : {}),
    ...(delta ? {} : { 'wd:Exclude_Inactive_Workers': 'true' }),
    ...(s.excludeContingentWorkers ? { 'wd:Exclude_Contingent_Workers': 'true' } : {}),
  };
  const pageSize = o.pageSize ?? PAGE_SIZE;

  const fetchPage = (page: number) =>
    callWorkdayText(
      rc.http(),
      s,
      'Human_Resources',
      'Get_Workers',
      {
        ...(Object.keys(criteria).length ? { 'wd:Request_Criteria': criteria } : {}),
        'wd:Response_Filter': { 'wd:As_Of_Effective_Date': now.toISOString().slice(0, 10), 'wd:Page': String(page), 'wd:Count': String(pageSize) },
        'wd:Response_Group': Object.fromEntries(Object.entries(group).map(([k, v]) => [`wd:${k}`, String(v)])),
      },
      { idempotent: true },
    );

  async function* items(): AsyncGenerator<SourceItem> {
    let totalPages = 1;
    let next = fetchPage(1);
    for (let page = 1; page <= totalPages; page++) {
      if (rc.signal.aborted) return;
      const text = await next;
      // The next page is asked for as soon as this one has arrived, before it is read and turned into records:
      // Workday builds it meanwhile (the connection's limit of two calls at a time allows it). The first page
      // is read first (it gives Total_Pages). A failure is met when that page is awaited.
      const asked = page < totalPages;
      const ask = () => {
        next = fetchPage(page + 1);
        next.catch(() => undefined);
      };
      if (asked) ask();
      const { results, workers } = readPage(text, fields);
      totalPages = Number(textValue(results.Total_Pages) ?? '1');
      if (!Number.isInteger(totalPages) || totalPages < 0) throw WorkdayErrors.BAD_RESPONSE.create({ detail: `Total_Pages is "${String(textValue(results.Total_Pages))}"` });
      if (!asked && page < totalPages) ask();
      if (page === 1) rc.log('info', `Workday has ${textValue(results.Total_Results) ?? '?'} workers for this read, ${totalPages} pages of ${pageSize}`);
      rc.progress(page, totalPages, 'reading workers');
      for (const worker of workers) {
        const item = toItem(worker, fields, delta);
        if (item) yield item;
      }
    }
  }
  return { complete: !delta, items: items() };
}

/** One wd:Worker as a record (or a removal when a delta read reports it terminated). */
export function toItem(worker: XmlNode, fields: string[], delta: boolean): SourceItem | null {
  const data = (worker.Worker_Data ?? {}) as XmlNode;
  const id = textValue(data.Worker_ID) ?? refId(worker.Worker_Reference, 'Employee_ID') ?? refId(worker.Worker_Reference, 'Contingent_Worker_ID');
  if (!id) return null;
  const status = ((data.Employment_Data as XmlNode | undefined)?.Worker_Status_Data ?? {}) as XmlNode;
  const terminated = ['1', 'true'].includes(textValue(status.Terminated) ?? '');
  if (terminated) return delta ? { id, removed: true } : null;
  const values: Record<string, string | boolean | null> = {};
  for (const f of fields) values[f] = attribute(f)!.read(data);
  return { id, values, managerId: managerWorkerId(data) };
}
