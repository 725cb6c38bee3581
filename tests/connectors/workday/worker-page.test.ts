import { describe, expect, it } from 'vitest';
import { envelope, faultEnvelope } from '../../../simulators/workday/soap.ts';
import { WorkerStore } from '../../../simulators/workday/store.ts';
import { workerNode, type ResponseGroup } from '../../../simulators/workday/worker-xml.ts';
import { WORKDAY_ATTRIBUTES } from '../../../src/connectors/workday/attributes.ts';
import { parser, type XmlNode } from '../../../src/connectors/workday/client.ts';
import { readPage, toItem } from '../../../src/connectors/workday/read-workers.ts';
import { WorkerPageReader } from '../../../src/connectors/workday/worker-page.ts';
import { mulberry32 } from '../../../src/platform/seed/prng.ts';

// The Get_Workers page reader (worker-page.ts, saxes) against pages the simulator writes: fed in any chunks it
// gives the records fast-xml-parser's parse of the whole page gives, for every attribute of the spec; what is
// not a well-formed Get_Workers answer is a coded error.

const store = new WorkerStore({ workers: 120 });
// A name with XML's special characters, written escaped by the simulator.
store.update(store.list[3].workerId, { lastName: `O'Brien & <Sons> "Ltd"`, businessTitle: 'R&D lead' });
const every: ResponseGroup = { Include_Reference: true, Include_Personal_Information: true, Include_Employment_Information: true, Include_Organizations: true, Include_Roles: true, Include_Management_Chain_Data: true, Include_Qualifications: true, Include_User_Account: true, Include_Skills: false };
const page = envelope('wd:Get_Workers_Response', {
  '@wd:version': 'v40.1',
  'wd:Response_Results': { 'wd:Total_Results': String(store.list.length), 'wd:Total_Pages': '1', 'wd:Page_Results': String(store.list.length), 'wd:Page': '1' },
  'wd:Response_Data': { 'wd:Worker': store.list.map((w) => workerNode(w, every, store)) },
});
const ALL = WORKDAY_ATTRIBUTES.map((a) => a.name);

describe('Get_Workers page reader', () => {
  it('a page fed in arbitrary chunks gives, for every attribute, the records of a whole-page fast-xml-parser parse', () => {
    const whole = (((parser.parse(page) as XmlNode).Envelope as XmlNode).Body as XmlNode).Get_Workers_Response as XmlNode;
    const want = ((whole.Response_Data as XmlNode).Worker as XmlNode[]).map((w) => toItem(w, ALL, true));
    expect(want.filter((r) => r && 'removed' in r).length).toBeGreaterThan(0);
    expect(JSON.stringify(want)).toContain('R&D lead');
    const random = mulberry32(17);
    for (const maxChunk of [1, 7, 100, 4096, page.length]) {
      const reader = new WorkerPageReader(ALL);
      const got: XmlNode[] = [];
      for (let at = 0; at < page.length; ) {
        const n = 1 + Math.floor(random() * maxChunk);
        reader.write(page.slice(at, at + n));
        at += n;
        got.push(...reader.take());
      }
      reader.end();
      got.push(...reader.take());
      expect(got.map((w) => toItem(w, ALL, true)), `chunks of up to ${maxChunk} characters`).toEqual(want);
      expect(reader.page.hasResponse).toBe(true);
      expect(reader.page.results).toEqual(whole.Response_Results);
    }
  }, 120_000);

  it('workers leave the reader as they close: a page is never held whole', () => {
    const reader = new WorkerPageReader(['Primary Work Email']);
    const half = Math.floor(page.length / 2);
    reader.write(page.slice(0, half));
    const first = reader.take();
    expect(first.length).toBeGreaterThan(10);
    expect(first.length).toBeLessThan(store.list.length);
    reader.write(page.slice(half));
    reader.end();
    expect(first.length + reader.take().length).toBe(store.list.length);
  });

  it('an answer that is not well-formed, or holds no Get_Workers_Response, is LMC_ERR_WORKDAY_BAD_RESPONSE', () => {
    const fail = (text: string) => {
      try {
        readPage(text, ALL);
      } catch (e) {
        return e as Error & { code?: string };
      }
      throw new Error('no error');
    };
    expect(fail(page.slice(0, page.length - 200))).toMatchObject({ code: 'LMC_ERR_WORKDAY_BAD_RESPONSE' });
    expect(fail(page.replace('</wd:Worker_Data>', '</wd:Worker_Dat>'))).toMatchObject({ code: 'LMC_ERR_WORKDAY_BAD_RESPONSE' });
    // A Server fault answered with HTTP 200 (the kit's client only retries it on 429/5xx): not a page.
    const fault = fail(faultEnvelope('server', 'The service is temporarily unavailable.'));
    expect(fault).toMatchObject({ code: 'LMC_ERR_WORKDAY_BAD_RESPONSE' });
    expect(fault.message).toContain('no Get_Workers_Response in the answer');
  });
});
