import { describe, expect, it } from 'vitest';
import { WorkerStore } from '../../../simulators/workday/store.ts';
import { organizationNode, workerNode, workerReference, type ResponseGroup } from '../../../simulators/workday/worker-xml.ts';
import { writeXml } from '../../../simulators/workday/xml-writer.ts';

// The simulator writes a manager's management-chain entry once and puts it in the chains of all its reports
// (worker-xml.ts chainEntry), and an organization's entry once for all its workers: each must be what writing it
// afresh gives, and a chain entry must follow a change of the manager.

const group: ResponseGroup = { Include_Reference: true, Include_Personal_Information: false, Include_Employment_Information: false, Include_Organizations: false, Include_Roles: false, Include_Management_Chain_Data: true, Include_Qualifications: false, Include_User_Account: false, Include_Skills: false };
const entryOf = (m: ReturnType<WorkerStore['get']> & object) =>
  writeXml('wd:Management_Chain_Data', {
    'wd:Organization_Reference': { '@wd:Descriptor': `Team ${m.lastName}`, 'wd:ID': [] },
    'wd:Manager_Reference': workerReference(m),
    'wd:Manager': { 'wd:Worker_Reference': workerReference(m), 'wd:Worker_Descriptor': `${m.preferredFirstName} ${m.lastName}` },
  });

describe('Workday simulator: management chains', () => {
  it("a manager's entry is shared by its reports' chains and follows a change of the manager", () => {
    const store = new WorkerStore({ workers: 200 });
    const reports = store.list.filter((w) => w.managerId);
    const manager = store.get(reports[0].managerId!)!;
    const mine = reports.filter((w) => w.managerId === manager.workerId);
    expect(mine.length).toBeGreaterThan(1);
    const xmlOf = (w: (typeof reports)[number]) => writeXml('wd:Worker', workerNode(w, group, store));
    // The manager's part of the entry (its references and descriptor) as written afresh, in both reports.
    const managerPart = entryOf(manager).replace(/^.*?<wd:Manager_Reference/, '<wd:Manager_Reference');
    for (const w of mine.slice(0, 2)) expect(xmlOf(w)).toContain(managerPart);
    store.update(manager.workerId, { lastName: 'Renamed' });
    const after = xmlOf(mine[1]);
    expect(after).toContain(`Team Renamed`);
    expect(after).toContain(entryOf(store.get(manager.workerId)!).replace(/^.*?<wd:Manager_Reference/, '<wd:Manager_Reference'));
    expect(after).not.toContain(managerPart);
  });

  it("each worker's organizations are its own, as written afresh", () => {
    const store = new WorkerStore({ workers: 200 });
    const orgs: ResponseGroup = { ...group, Include_Management_Chain_Data: false, Include_Organizations: true };
    const departments = new Set<string>();
    for (const w of store.list) {
      const xml = writeXml('wd:Worker', workerNode(w, orgs, store));
      departments.add(w.department);
      for (const o of [
        organizationNode('SUPERVISORY', 'Department', `SUP-${w.department.replace(/ /g, '_')}`, w.department),
        organizationNode('SUPERVISORY', 'Division', `DIV-${w.division}`, w.division),
        organizationNode('COMPANY', null, w.contingent ? 'STAFF' : 'GMS', w.company),
        organizationNode('COST_CENTER', null, w.costCenterCode, w.costCenterName),
      ])
        expect(xml, w.workerId).toContain(writeXml('wd:Worker_Organization_Data', o));
    }
    expect(departments.size).toBeGreaterThan(3);
  });
});
