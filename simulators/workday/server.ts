/**
 * Workday Web Services simulator (SOAP 1.1), only what the Workday connector calls:
 *  - endpoint: POST {host}/ccx/service/{tenant}/{Service}/v{version}
 *    (https://community.workday.com/sites/default/files/file-hosting/productionapi/index.html, "Workday Web Services")
 *  - WS-Security UsernameToken, PasswordText, user "ISU_name@tenant" (OASIS WSS UsernameToken Profile 1.1,
 *    https://docs.oasis-open.org/wss/v1.1/wss-v1.1-spec-os-UsernameTokenProfile.pdf); a wrong user or password
 *    is SOAP-ENV:Client.authenticationError (soap.ts)
 *  - Human_Resources Get_Workers (https://community.workday.com/sites/default/files/file-hosting/productionapi/Human_Resources/v40.1/Get_Workers.html):
 *    Request_References, Request_Criteria (Transaction_Log_Criteria_Data/Transaction_Date_Range_Data
 *    Updated_From/Updated_Through, Exclude_Inactive_Workers, Exclude_Employees, Exclude_Contingent_Workers),
 *    Response_Filter (As_Of_Effective_Date, Page, Count at most 999, default 100), Response_Group, and
 *    Response_Results (Total_Results, Total_Pages, Page_Results, Page)
 *  - Talent Put_Skill (https://community.workday.com/sites/default/files/file-hosting/productionapi/Talent/v40.1/Put_Skill.html):
 *    adds or updates a skill item under an existing skill item category; Talent Manage_Skills
 *    (https://community.workday.com/sites/default/files/file-hosting/productionapi/Talent/v40.1/Manage_Skills.html):
 *    adds existing skill items to a worker. Shapes: wsdl/Talent-skills.xsd (from the Talent WSDL, see wsdl/README.md)
 * Faults (429/5xx, drops, slow answers) come from the simulator kit; a queued 'validation' or 'processing' fault
 * answers Workday's SOAP fault. Every request body is kept (requests) so tests validate it against the XSD.
 */
import type { FastifyReply } from 'fastify';
import { createSimApp, type SimApp } from '../kit/app.ts';
import { applyFault, type Fault } from '../kit/faults.ts';
import { requestLog, type RequestLog } from '../kit/request-log.ts';
import { type SimCa } from '../kit/tls.ts';
import { asList, envelope, faultEnvelope, parseEnvelope, textOf, type FaultKind, type XmlNode } from './soap.ts';
import { WorkerStore, type StoreOptions } from './store.ts';
import { workerNode, workerReference, type ResponseGroup } from './worker-xml.ts';

export interface WorkdaySimOptions extends StoreOptions {
  tenant?: string;
  /** Integration system users: user name (without @tenant) -> password. */
  users?: Record<string, string>;
  https?: boolean | SimCa;
  /** Keep every request and answer in `requests` (tests validate them; default true). Off for benchmarks. */
  keepRequests?: boolean;
}

export const DEFAULT_WORKDAY_ISU = { tenant: 'acme_gms1', username: 'ISU_LearningManager', password: 'sim-Workday-pass-1' };

export interface WorkdaySimulator {
  url: string;
  ca?: SimCa;
  tenant: string;
  store: WorkerStore;
  /** Kit faults (429/5xx answered as a SOAP fault, drops, slow answers). */
  faults: Fault[];
  /** Workday SOAP faults for the next matching requests. */
  soapFaults: SoapFault[];
  log: RequestLog;
  /** Every SOAP request: operation and the envelope as received. */
  requests: Array<{ operation?: string; xml: string; response: string }>;
  close(): Promise<void>;
}

/** A Workday SOAP fault the next matching request gets (Validation_Fault / Processing_Fault). */
export interface SoapFault {
  kind: 'validation' | 'processing';
  message: string;
  operation?: string;
  count?: number;
}

const MAX_COUNT = 999;

export async function startWorkdaySimulator(o: WorkdaySimOptions = {}): Promise<WorkdaySimulator> {
  const sim: SimApp = createSimApp({ https: o.https });
  const { app } = sim;
  const log = requestLog(app);
  const tenant = o.tenant ?? DEFAULT_WORKDAY_ISU.tenant;
  const users = o.users ?? { [DEFAULT_WORKDAY_ISU.username]: DEFAULT_WORKDAY_ISU.password };
  const store = new WorkerStore(o);
  const faults: Fault[] = [];
  const soapFaults: SoapFault[] = [];
  const requests: WorkdaySimulator['requests'] = [];
  let selection: { key: string; workers: ReturnType<WorkerStore['select']> } | undefined;

  const send = (reply: FastifyReply, status: number, xml: string, rec?: { operation?: string; xml: string }) => {
    if (rec && o.keepRequests !== false) requests.push({ ...rec, response: xml });
    return reply.status(status).header('content-type', 'text/xml; charset=utf-8').send(xml);
  };
  const fault = (reply: FastifyReply, kind: FaultKind, message: string, rec?: { operation?: string; xml: string }, xpath?: string) => send(reply, 500, faultEnvelope(kind, message, xpath), rec);

  app.post('/ccx/service/:tenant/:service/:version', async (req, reply) => {
    const hooks = {
      error: (r: FastifyReply, status: number, headers: Record<string, string>) => send(r.headers(headers), status, faultEnvelope('server', status === 429 ? 'Too many requests, please retry later.' : 'The service is temporarily unavailable.')),
      unauthorized: (r: FastifyReply) => fault(r, 'authentication', 'invalid username or password'),
      expireTokens: () => undefined,
    };
    if (await applyFault(faults, req, reply, hooks)) return reply;
    const { tenant: t, service, version } = req.params as { tenant: string; service: string; version: string };
    const xml = typeof req.body === 'string' ? req.body : '';
    let soap;
    try {
      soap = parseEnvelope(xml);
    } catch {
      return fault(reply, 'validation', 'The request is not a well-formed SOAP envelope.');
    }
    const rec = { operation: soap.operation, xml };
    if (t !== tenant) return fault(reply, 'authentication', 'invalid username or password', rec);
    const [user, userTenant] = (soap.username ?? '').split('@');
    if (!soap.username || userTenant !== tenant || users[user] === undefined || users[user] !== soap.password) return fault(reply, 'authentication', 'invalid username or password', rec);
    if (!/^v\d+(\.\d+)?$/.test(version)) return fault(reply, 'validation', `Invalid version: ${version}`, rec);
    const injected = soapFaults.find((f) => !f.operation || f.operation === soap.operation);
    if (injected) {
      injected.count = (injected.count ?? 1) - 1;
      if (injected.count <= 0) soapFaults.splice(soapFaults.indexOf(injected), 1);
      return fault(reply, injected.kind, injected.message, rec);
    }
    if (service === 'Human_Resources' && soap.operation === 'Get_Workers_Request') return getWorkers(soap.body ?? {}, reply, rec);
    if (service === 'Talent' && soap.operation === 'Put_Skill_Request') return putSkill(soap.body ?? {}, reply, rec);
    if (service === 'Talent' && soap.operation === 'Manage_Skills_Request') return manageSkills(soap.body ?? {}, reply, rec);
    return fault(reply, 'validation', `The operation ${soap.operation ?? '(none)'} is not offered by ${service} in this simulator.`, rec);
  });

  function getWorkers(body: XmlNode, reply: FastifyReply, rec: { operation?: string; xml: string }) {
    const criteria = (body.Request_Criteria ?? {}) as XmlNode;
    const filter = (body.Response_Filter ?? {}) as XmlNode;
    const group = (body.Response_Group ?? {}) as XmlNode;
    const flag = (n: XmlNode, k: string) => ['1', 'true'].includes(textOf(n, k) ?? '');
    const page = Number(textOf(filter, 'Page') ?? '1');
    const count = Number(textOf(filter, 'Count') ?? '100');
    if (!Number.isInteger(page) || page < 1) return fault(reply, 'validation', 'Page number cannot be zero.', rec, 'wd:Get_Workers_Request/wd:Response_Filter/wd:Page');
    if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) return fault(reply, 'validation', `Count must be between 1 and ${MAX_COUNT}.`, rec, 'wd:Get_Workers_Request/wd:Response_Filter/wd:Count');
    const range = ((asList(criteria.Transaction_Log_Criteria_Data as XmlNode | XmlNode[])[0] ?? {}) as XmlNode).Transaction_Date_Range_Data as XmlNode | undefined;
    const date = (k: string) => {
      const v = range ? textOf(range, k) : undefined;
      return v ? new Date(v) : undefined;
    };
    const updatedFrom = date('Updated_From');
    const updatedThrough = date('Updated_Through');
    if ((updatedFrom && Number.isNaN(updatedFrom.getTime())) || (updatedThrough && Number.isNaN(updatedThrough.getTime()))) return fault(reply, 'validation', 'Updated_From and Updated_Through must be dates and times.', rec);
    if (updatedFrom && updatedThrough && updatedFrom > updatedThrough) return fault(reply, 'validation', 'Updated From must be before Updated Through.', rec, 'wd:Transaction_Date_Range_Data');
    const asOf = textOf(filter, 'As_Of_Effective_Date');
    const refs = asList(((body.Request_References as XmlNode | undefined)?.Worker_Reference ?? undefined) as XmlNode | XmlNode[] | undefined);
    const ids = refs.length ? refs.flatMap((r) => asList(r.ID as XmlNode | XmlNode[]).filter((i) => i['@type'] !== 'WID').map((i) => String(i.$))) : undefined;
    const c = { excludeInactive: flag(criteria, 'Exclude_Inactive_Workers'), excludeContingent: flag(criteria, 'Exclude_Contingent_Workers'), excludeEmployees: flag(criteria, 'Exclude_Employees'), updatedFrom, updatedThrough, asOf, ids };
    // The pages of one read ask the same criteria: the selection is made once (a 200,000-worker tenant has
    // 2,000 pages), and again when the store changed.
    const key = `${store.version}|${JSON.stringify(c)}`;
    if (selection?.key !== key) selection = { key, workers: store.select(c) };
    const selected = selection.workers;
    const total = selected.length;
    const totalPages = Math.max(1, Math.ceil(total / count));
    const slice = selected.slice((page - 1) * count, page * count);
    // No Response_Group: Workday answers references and personal, employment and organization data.
    const none = Object.keys(group).length === 0;
    const g: ResponseGroup = {
      Include_Reference: none || flag(group, 'Include_Reference'),
      Include_Personal_Information: none || flag(group, 'Include_Personal_Information'),
      Include_Employment_Information: none || flag(group, 'Include_Employment_Information'),
      Include_Organizations: none || flag(group, 'Include_Organizations'),
      Include_Roles: flag(group, 'Include_Roles'),
      Include_Management_Chain_Data: flag(group, 'Include_Management_Chain_Data'),
      Include_Qualifications: flag(group, 'Include_Qualifications'),
      Include_User_Account: flag(group, 'Include_User_Account'),
      Include_Skills: flag(group, 'Include_Skills'),
    };
    return send(
      reply,
      200,
      envelope('wd:Get_Workers_Response', {
        '@wd:version': 'v40.1',
        'wd:Response_Filter': { ...(asOf ? { 'wd:As_Of_Effective_Date': asOf } : {}), 'wd:Page': String(page), 'wd:Count': String(count) },
        'wd:Response_Results': { 'wd:Total_Results': String(total), 'wd:Total_Pages': String(totalPages), 'wd:Page_Results': String(slice.length), 'wd:Page': String(page) },
        'wd:Response_Data': slice.length ? { 'wd:Worker': slice.map((w) => workerNode(w, g, store)) } : '',
      }),
      rec,
    );
  }

  const skillIdOf = (ref: unknown) => asList((ref as XmlNode | undefined)?.ID as XmlNode | XmlNode[] | undefined).find((i) => i['@type'] === 'Skill_ID');

  // Put_Skill (Talent): adds a skill item, or updates the one its Skill_Reference or Skill_Data/ID names.
  function putSkill(body: XmlNode, reply: FastifyReply, rec: { operation?: string; xml: string }) {
    const data = (body.Skill_Data ?? {}) as XmlNode;
    const id = textOf(data, 'ID') ?? (skillIdOf(body.Skill_Reference)?.$ as string | undefined) ?? '';
    const name = String(data['@Name'] ?? '').trim();
    const cref = asList((data.Category_Reference as XmlNode | undefined)?.ID as XmlNode | XmlNode[] | undefined)[0];
    const category = cref ? String(cref.$ ?? '') : '';
    if (!id || !name) return fault(reply, 'validation', 'A skill item needs an ID and a Name.', rec, 'wd:Put_Skill_Request/wd:Skill_Data');
    if (body['@Add_Only'] === 'true' && store.skillItems.has(id)) return fault(reply, 'validation', `The skill item ${id} already exists.`, rec, 'wd:Put_Skill_Request/wd:Skill_Data/wd:ID');
    if (!category || cref?.['@type'] !== 'Skill_Item_Category_Name' || !store.skillItemCategories.has(category)) {
      return fault(reply, 'validation', `Invalid ID value. '${category}' is not a valid ID value for type = ${String(cref?.['@type'] ?? 'Skill_Item_Category_Name')}`, rec, 'wd:Put_Skill_Request/wd:Skill_Data/wd:Category_Reference');
    }
    // "Skill Item Name already exists." (Skill_Item_DataType's validation): a name belongs to one skill item.
    const clash = [...store.skillItems].find(([k, v]) => k !== id && v.name.toLowerCase() === name.toLowerCase());
    if (clash) return fault(reply, 'validation', 'Skill Item Name already exists.', rec, 'wd:Put_Skill_Request/wd:Skill_Data/@wd:Name');
    store.putSkillItem(id, name, category);
    return send(
      reply,
      200,
      envelope('wd:Put_Skill_Response', {
        '@wd:version': 'v40.1',
        'wd:Skill_Reference': { 'wd:ID': [{ '@wd:type': 'Skill_ID', $: id }] },
        'wd:ID': id,
        'wd:Name': name,
        'wd:Skill_Item_Category_Reference': { 'wd:ID': [{ '@wd:type': 'Skill_Item_Category_Name', $: category }] },
        'wd:Inactive': 'false',
      }),
      rec,
    );
  }

  // Manage_Skills (Talent): adds existing skill items (Skill_Item_Reference) to a worker, or removes them (Remove_Skill).
  function manageSkills(body: XmlNode, reply: FastifyReply, rec: { operation?: string; xml: string }) {
    const data = (body.Manage_Skills_Data ?? {}) as XmlNode;
    const wref = asList((data.Worker_Reference as XmlNode | undefined)?.ID as XmlNode | XmlNode[] | undefined).find((i) => i['@type'] !== 'WID');
    const worker = wref ? store.get(String(wref.$)) : undefined;
    if (!worker) return fault(reply, 'validation', `Invalid ID value. '${wref ? String(wref.$) : ''}' is not a valid ID value for type = ${wref?.['@type'] ?? 'Employee_ID'}`, rec, 'wd:Manage_Skills_Request/wd:Manage_Skills_Data/wd:Worker_Reference');
    if (worker.terminated) return fault(reply, 'processing', `The worker ${worker.workerId} is terminated; skills cannot be changed.`, rec);
    const skills = asList(data.Skill as XmlNode | XmlNode[] | undefined);
    const ids: string[] = [];
    for (const sk of skills) {
      const ref = skillIdOf(sk.Skill_Item_Reference);
      const id = ref ? String(ref.$) : '';
      if (!store.skillItems.has(id)) return fault(reply, 'validation', `Invalid ID value. '${id}' is not a valid ID value for type = Skill_ID`, rec, 'wd:Manage_Skills_Data/wd:Skill/wd:Skill_Item_Reference');
      ids.push(id);
    }
    // Checked first, applied after: a request with one bad reference changes nothing (Workday's requests are atomic).
    skills.forEach((sk, i) => (String(sk.Remove_Skill ?? '') === 'true' ? store.workerSkills.get(worker.workerId)?.delete(ids[i]) : store.addWorkerSkill(worker.workerId, ids[i])));
    const held = [...(store.workerSkills.get(worker.workerId) ?? [])];
    return send(reply, 200, envelope('wd:Manage_Skills_Response', { '@wd:version': 'v40.1', 'wd:Worker_Reference': workerReference(worker), 'wd:Skill_Item_Reference': held.map((id) => ({ 'wd:ID': [{ '@wd:type': 'Skill_ID', $: id }] })) }), rec);
  }

  app.post('/_sim/faults', async (req) => {
    const f = req.body as Fault | SoapFault;
    if ('message' in f) soapFaults.push(f);
    else faults.push(f);
    return { queued: faults.length + soapFaults.length };
  });
  // Benchmarks: change a share of the workers now (the transaction log shows them changed).
  app.post('/_sim/touch', async (req) => {
    const share = Number((req.body as { share?: number } | undefined)?.share ?? 0.01);
    const step = Math.max(1, Math.round(1 / share));
    let n = 0;
    for (let i = 1; i < store.list.length; i += step, n++) store.update(store.list[i].workerId, { businessTitle: `${store.list[i].businessTitle} (changed)` });
    return { changed: n };
  });
  app.setNotFoundHandler((req, reply) => send(reply, 404, faultEnvelope('validation', `No web service at ${req.url.split('?')[0]}`)));

  const url = await sim.listen();
  return { url, ca: sim.ca, tenant, store, faults, soapFaults, log, requests, close: () => app.close() };
}
