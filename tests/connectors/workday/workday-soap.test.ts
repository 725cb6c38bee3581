import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKDAY_ISU, startWorkdaySimulator, type WorkdaySimulator } from '../../../simulators/workday/server.ts';
import { WORKDAY_ATTRIBUTES } from '../../../src/connectors/workday/attributes.ts';
import { callWorkday, callWorkdayText, parser, workdayClassifier, type XmlNode } from '../../../src/connectors/workday/client.ts';
import manifest from '../../../src/connectors/workday/manifest.ts';
import { responseGroupFor } from '../../../src/connectors/workday/attributes.ts';
import { readPage, toItem } from '../../../src/connectors/workday/read-workers.ts';
import { serviceRoot, workdaySettings, type WorkdaySettings } from '../../../src/connectors/workday/settings.ts';
import { createHttpClient } from '../../../src/kit/http/client.ts';
import { expected, SPEC_ATTRIBUTES } from './spec-attributes.ts';
import { HR_XSD, TALENT_XSD, validateBodies } from './xsd.ts';

// The Workday connector's SOAP calls against the simulator, checked against Workday's published schema with
// xmllint, and every attribute of the spec's list resolved from a real Get_Workers answer.

let sim: WorkdaySimulator;
let settings: WorkdaySettings;
const http = () => createHttpClient({ baseUrl: serviceRoot(settings), classify: workdayClassifier, retry: { retries: 2, baseMs: 20, maxMs: 200 } });

beforeAll(async () => {
  sim = await startWorkdaySimulator({ workers: 60 });
  settings = workdaySettings.parse({ hostUrl: sim.url, tenant: sim.tenant, auth: { username: `${DEFAULT_WORKDAY_ISU.username}@${sim.tenant}`, password: DEFAULT_WORKDAY_ISU.password } });
  // A retired worker and a worker hired in the future (left out by As_Of_Effective_Date).
  sim.store.update(sim.store.list[7].workerId, { retired: true, retirementDate: sim.store.list[7].hireDate });
});
afterAll(async () => {
  await sim?.close();
});

const allGroups = () => Object.fromEntries(Object.entries(responseGroupFor(WORKDAY_ATTRIBUTES.map((a) => a.name))).map(([k, v]) => [`wd:${k}`, String(v)]));

describe('Workday SOAP calls against the simulator and the published schema', () => {
  it('the mapping offers exactly the attributes of the spec, in its order', async () => {
    const fields = await manifest.users!.fields(settings, undefined as never);
    expect(fields.map((f) => f.name)).toEqual(SPEC_ATTRIBUTES);
    expect(new Set(SPEC_ATTRIBUTES).size).toBe(SPEC_ATTRIBUTES.length);
  });

  it('a page read of one attribute keeps only the parts it needs, and resolves it as a full parse does', async () => {
    const text = await callWorkdayText(http(), settings, 'Human_Resources', 'Get_Workers', { 'wd:Response_Filter': { 'wd:Page': '1', 'wd:Count': '30' }, 'wd:Response_Group': allGroups() });
    const full = (((parser.parse(text) as XmlNode).Envelope as XmlNode).Body as XmlNode).Get_Workers_Response as XmlNode;
    const workers = (full.Response_Data as XmlNode).Worker as XmlNode[];
    expect(workers).toHaveLength(30);
    for (const a of WORKDAY_ATTRIBUTES) {
      const kept = readPage(text, [a.name]).workers;
      expect(kept).toHaveLength(30);
      kept.forEach((w, i) => {
        expect(a.read(w.Worker_Data as XmlNode), `${a.name} of worker ${i}`).toEqual(a.read(workers[i].Worker_Data as XmlNode));
        expect(toItem(w, [a.name], true), `record of worker ${i} for ${a.name}`).toEqual(toItem(workers[i], [a.name], true));
      });
    }
    // The e-mail alone: no identification data, addresses or phones, and only the first entry of the chain.
    const mail = readPage(text, ['Primary Work Email']).workers;
    const chained = workers.findIndex((w) => ((((w.Worker_Data as XmlNode).Management_Chain_Data as XmlNode | undefined)?.Worker_Supervisory_Management_Chain_Data as XmlNode | undefined)?.Management_Chain_Data as unknown[] | undefined)?.length! > 1);
    expect(chained).toBeGreaterThanOrEqual(0);
    const personal = (mail[chained].Worker_Data as XmlNode).Personal_Data as XmlNode;
    expect(Object.keys(personal)).toEqual(['Contact_Data']);
    expect(Object.keys(personal.Contact_Data as XmlNode)).toEqual(['Email_Address_Data']);
    const chain = (((mail[chained].Worker_Data as XmlNode).Management_Chain_Data as XmlNode).Worker_Supervisory_Management_Chain_Data as XmlNode).Management_Chain_Data;
    expect(Array.isArray(chain)).toBe(false);
    expect(JSON.stringify(mail).length).toBeLessThan(JSON.stringify(workers).length / 3);
  }, 120_000);

  it('every attribute is resolved from a Get_Workers answer, for employees, contingent, retired and terminated workers', async () => {
    sim.requests.length = 0;
    const res = await callWorkday(http(), settings, 'Human_Resources', 'Get_Workers', { 'wd:Response_Filter': { 'wd:Page': '1', 'wd:Count': '60' }, 'wd:Response_Group': allGroups() });
    const workers = (res.Response_Data as XmlNode).Worker as XmlNode[];
    expect(workers).toHaveLength(60);
    const seen = { contingent: 0, terminated: 0, retired: 0, manager: 0 };
    for (const worker of workers) {
      const data = worker.Worker_Data as XmlNode;
      const w = sim.store.get(String(data.Worker_ID))!;
      const want = expected(w, sim.store);
      expect(Object.keys(want).sort()).toEqual([...SPEC_ATTRIBUTES].sort());
      const got = Object.fromEntries(WORKDAY_ATTRIBUTES.map((a) => [a.name, a.read(data)]));
      expect(got, `worker ${w.workerId}`).toEqual(want);
      seen.contingent += Number(w.contingent);
      seen.terminated += Number(w.terminated);
      seen.retired += Number(w.retired);
      seen.manager += Number(Boolean(w.managerId));
    }
    expect(seen.contingent).toBeGreaterThan(0);
    expect(seen.terminated).toBeGreaterThan(0);
    expect(seen.retired).toBe(1);
    // The record a full read gives: the manager by Workday id, the terminated left out.
    const boss = workers.find((x) => (x.Worker_Data as XmlNode).Worker_ID === sim.store.list[6].workerId)!;
    expect(toItem(boss, ['wd:Worker_ID'], false)).toEqual({ id: sim.store.list[6].workerId, values: { 'wd:Worker_ID': sim.store.list[6].workerId }, managerId: sim.store.list[1].workerId });
    const gone = workers.find((x) => (x.Worker_Data as XmlNode).Worker_ID === sim.store.list[25].workerId)!;
    expect(toItem(gone, ['wd:Worker_ID'], false)).toBeNull();
    expect(toItem(gone, ['wd:Worker_ID'], true)).toEqual({ id: sim.store.list[25].workerId, removed: true });
    // The request the connector sent and the answer it got follow Workday's Human_Resources schema.
    expect(sim.requests).toHaveLength(1);
    expect(await validateBodies([sim.requests[0].xml, sim.requests[0].response], HR_XSD)).toBe('');
  }, 60_000);

  it('pages, contingent exclusion, As_Of_Effective_Date and the transaction log select the workers Workday would', async () => {
    sim.requests.length = 0;
    const read = async (criteria: XmlNode, filter: XmlNode = {}) => {
      const res = await callWorkday(http(), settings, 'Human_Resources', 'Get_Workers', { 'wd:Request_Criteria': criteria, 'wd:Response_Filter': { ...filter, 'wd:Page': '2', 'wd:Count': '20' }, 'wd:Response_Group': { 'wd:Include_Reference': 'true' } });
      const r = res.Response_Results as XmlNode;
      return { totalResults: Number(r.Total_Results), totalPages: Number(r.Total_Pages), page: Number(r.Page), ids: ((res.Response_Data as XmlNode | undefined)?.Worker as XmlNode[] | undefined)?.map((x) => String((x.Worker_Data as XmlNode).Worker_ID)) ?? [] };
    };
    const all = await read({ 'wd:Exclude_Inactive_Workers': 'true' });
    const active = sim.store.list.filter((w) => !w.terminated);
    expect(all).toMatchObject({ totalResults: active.length, totalPages: Math.ceil(active.length / 20), page: 2 });
    expect(all.ids).toEqual(active.slice(20, 40).map((w) => w.workerId));
    const noContingent = await read({ 'wd:Exclude_Inactive_Workers': 'true', 'wd:Exclude_Contingent_Workers': 'true' });
    expect(noContingent.totalResults).toBe(active.filter((w) => !w.contingent).length);
    // A worker hired tomorrow is not a worker today.
    const tomorrow = new Date(Date.now() + 86400_000).toISOString().slice(0, 10);
    sim.store.update(sim.store.list[30].workerId, { hireDate: tomorrow });
    const today = await read({ 'wd:Exclude_Inactive_Workers': 'true' }, { 'wd:As_Of_Effective_Date': new Date().toISOString().slice(0, 10) });
    expect(today.totalResults).toBe(active.length - 1);
    // The transaction log: only the workers changed in the range.
    const from = new Date();
    sim.store.update(sim.store.list[3].workerId, { businessTitle: 'Lead' });
    sim.store.terminate(sim.store.list[4].workerId);
    const changed = await read({ 'wd:Transaction_Log_Criteria_Data': { 'wd:Transaction_Date_Range_Data': { 'wd:Updated_From': from.toISOString(), 'wd:Updated_Through': new Date(Date.now() + 1000).toISOString() } } });
    expect(changed.totalResults).toBe(2);
    expect(await validateBodies(sim.requests.flatMap((r) => [r.xml, r.response]), HR_XSD)).toBe('');
  }, 60_000);

  it("Workday's SOAP faults become clear coded errors; a wrong password is an authentication error", async () => {
    const bad = { ...settings, auth: { ...settings.auth, password: 'wrong' } };
    const auth = await callWorkday(http(), bad, 'Human_Resources', 'Get_Workers', {}).catch((e: Error) => e);
    expect(auth).toMatchObject({ code: 'LMC_ERR_WORKDAY_AUTHENTICATION' });
    expect((auth as Error).message).toContain('invalid username or password');
    expect((auth as Error).message).not.toContain('wrong');
    const page0 = await callWorkday(http(), settings, 'Human_Resources', 'Get_Workers', { 'wd:Response_Filter': { 'wd:Page': '0' } }).catch((e: Error) => e);
    expect(page0).toMatchObject({ code: 'LMC_ERR_WORKDAY_VALIDATION_FAULT' });
    expect((page0 as Error).message).toContain('Page number cannot be zero.');
    sim.soapFaults.push({ kind: 'processing', message: 'The task submitted is not authorized.' });
    const proc = await callWorkday(http(), settings, 'Human_Resources', 'Get_Workers', {}).catch((e: Error) => e);
    expect(proc).toMatchObject({ code: 'LMC_ERR_WORKDAY_PROCESSING_FAULT' });
    expect((proc as Error).message).toContain('The task submitted is not authorized.');
    // The fault bodies themselves follow the schema's Validation_Fault / Processing_Fault.
    const faults = sim.requests.slice(-2).map((r) => r.response);
    const details = faults.map((f) => f.replace(/^[\s\S]*<detail>([\s\S]*)<\/detail>[\s\S]*$/, '$1'));
    expect(await validateBodies(details.map((d) => `<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body>${d}</e:Body></e:Envelope>`), HR_XSD)).toBe('');
  }, 60_000);

  it('Put_Skill adds a skill item under an existing category, Manage_Skills gives it to a worker; name clashes, unknown categories and unknown items are faults; requests and answers follow the Talent schema', async () => {
    sim.requests.length = 0;
    const put = (id: string, name: string, category = 'Learning Manager') =>
      callWorkday(http(), settings, 'Talent', 'Put_Skill', { 'wd:Skill_Reference': { 'wd:ID': { '@wd:type': 'Skill_ID', $: id } }, 'wd:Skill_Data': { '@wd:Name': name, 'wd:Category_Reference': { 'wd:ID': { '@wd:type': 'Skill_Item_Category_Name', $: category } }, 'wd:ID': id } });
    const manage = (workerId: string, ids: string[]) =>
      callWorkday(http(), settings, 'Talent', 'Manage_Skills', { 'wd:Manage_Skills_Data': { 'wd:Worker_Reference': { 'wd:ID': { '@wd:type': 'Employee_ID', $: workerId } }, 'wd:Skill': ids.map((id) => ({ 'wd:Skill_Item_Reference': { 'wd:ID': { '@wd:type': 'Skill_ID', $: id } } })) } });
    const w = sim.store.list[2];
    const added = await put('LM-1', 'Negotiation: Level 2');
    expect(added.ID).toBe('LM-1');
    expect(sim.store.skillItems.get('LM-1')).toEqual({ name: 'Negotiation: Level 2', category: 'Learning Manager' });
    await manage(w.workerId, ['LM-1']);
    expect([...sim.store.workerSkills.get(w.workerId)!]).toEqual(['LM-1']);
    // Put again with the same id and name: the same item (what a second account sharing the tenant does).
    await put('LM-1', 'Negotiation: Level 2');
    expect(sim.store.skillItems.size).toBe(1);
    const clash = await put('LM-2', 'Negotiation: Level 2').catch((e: Error) => e);
    expect(clash).toMatchObject({ code: 'LMC_ERR_WORKDAY_VALIDATION_FAULT' });
    expect((clash as Error).message).toContain('Skill Item Name already exists.');
    const noCategory = await put('LM-3', 'Filing: Level 1', 'No Such Category').catch((e: Error) => e);
    expect((noCategory as Error).message).toContain('Category_Reference');
    // One unknown item in a Manage_Skills request: nothing of the request is applied.
    const unknown = await manage(w.workerId, ['LM-1', 'LM-404']).catch((e: Error) => e);
    expect((unknown as Error).message).toContain("'LM-404' is not a valid ID value");
    expect([...sim.store.workerSkills.get(w.workerId)!]).toEqual(['LM-1']);
    const bodies = sim.requests.flatMap((r) => [r.xml, ...(r.response.includes('Fault') ? [] : [r.response])]);
    expect(bodies.length).toBeGreaterThanOrEqual(9);
    expect(await validateBodies(bodies, TALENT_XSD)).toBe('');
    // The schema is not a formality: the request shape the connector sent before (skills inline in Manage_Skills) is refused.
    const old = bodies[0].replace(/<wd:Put_Skill_Request([^>]*)>[\s\S]*<\/wd:Put_Skill_Request>/, `<wd:Manage_Skills_Request$1><wd:Worker_Reference><wd:ID wd:type="Employee_ID">${w.workerId}</wd:ID></wd:Worker_Reference><wd:Worker_Skill_Item><wd:Skill_Reference><wd:ID wd:type="Skill_ID">LM-1</wd:ID></wd:Skill_Reference></wd:Worker_Skill_Item></wd:Manage_Skills_Request>`);
    expect(old).toContain('Worker_Skill_Item');
    expect(await validateBodies([old], TALENT_XSD)).toContain('Worker_Reference');
  }, 60_000);
});
