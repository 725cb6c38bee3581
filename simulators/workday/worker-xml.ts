/**
 * A worker as Get_Workers returns it (wd:Worker: Worker_Reference, Worker_Descriptor, Worker_Data), as a
 * fast-xml-parser builder object: keys in the schema's element order (Human_Resources Worker_DataType, see
 * wsdl/README.md), attributes under '@', text under '$'. Which parts are present follows the request's
 * Response_Group, as Workday does:
 * https://community.workday.com/sites/default/files/file-hosting/productionapi/Human_Resources/v40.1/Get_Workers.html#Worker_Response_GroupType
 */
import type { SimWorker, WorkerStore } from './store.ts';
import { WrittenXml, writeXml } from './xml-writer.ts';

export interface ResponseGroup {
  Include_Reference: boolean;
  Include_Personal_Information: boolean;
  Include_Employment_Information: boolean;
  Include_Organizations: boolean;
  Include_Roles: boolean;
  Include_Management_Chain_Data: boolean;
  Include_Qualifications: boolean;
  Include_User_Account: boolean;
  Include_Skills: boolean;
}

type Node = Record<string, unknown>;

/** A reference: WID first, then the named ids (the order the spec's `ID.1` / `ID.2` paths rely on). */
function ref(ids: Array<[string, string]>, descriptor?: string, wid?: string): Node {
  const all: Array<[string, string]> = [['WID', wid ?? widOf(ids.map((x) => x[1]).join('|'))], ...ids];
  return { ...(descriptor ? { '@wd:Descriptor': descriptor } : {}), 'wd:ID': all.map(([t, v]) => ({ '@wd:type': t, $: v })) };
}

/** A stable 32-hex WID for a reference value (Workday's WIDs are opaque 32-hex ids). */
function widOf(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    h1 = Math.imul(h1 ^ s.charCodeAt(i), 16777619) >>> 0;
    h2 = Math.imul(h2 ^ s.charCodeAt(i), 2246822519) >>> 0;
  }
  return (h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0')).repeat(2);
}

const bool = (b: boolean) => (b ? '1' : '0');

function usage(type: 'WORK' | 'HOME', primary: boolean): Node {
  return { 'wd:Type_Data': { '@wd:Primary': bool(primary), 'wd:Type_Reference': ref([['Communication_Usage_Type_ID', type]], type === 'WORK' ? 'Work' : 'Home') } };
}

function nameDetail(w: SimWorker, first: string): Node {
  return {
    '@wd:Formatted_Name': `${first} ${w.lastName}`,
    '@wd:Reporting_Name': `${w.lastName}, ${first}`,
    'wd:Country_Reference': ref([['ISO_3166-1_Alpha-2_Code', w.countryAlpha2], ['ISO_3166-1_Alpha-3_Code', w.countryAlpha3]]),
    'wd:Prefix_Data': { 'wd:Title_Descriptor': w.title },
    'wd:First_Name': first,
    'wd:Last_Name': w.lastName,
  };
}

function homeAddress(w: SimWorker): Node {
  return {
    '@wd:Formatted_Address': `${w.street}, ${w.postalCode} ${w.city}, ${w.region}`,
    '@wd:Address_Format_Type': 'Basic',
    '@wd:Effective_Date': w.hireDate,
    'wd:Country_Reference': ref([['ISO_3166-1_Alpha-2_Code', w.countryAlpha2], ['ISO_3166-1_Alpha-3_Code', w.countryAlpha3]]),
    'wd:Address_Line_Data': { '@wd:Type': 'ADDRESS_LINE_1', $: w.street },
    'wd:Municipality': w.city,
    'wd:Country_Region_Reference': ref([['Country_Region_ID', w.regionCode.replace('-', '_')], ['ISO_3166-2_Code', w.regionCode]]),
    'wd:Country_Region_Descriptor': w.region,
    'wd:Postal_Code': w.postalCode,
    'wd:Usage_Data': { '@wd:Public': '0', ...usage('HOME', true) },
  };
}

function siteAddress(w: SimWorker): Node {
  return {
    '@wd:Formatted_Address': `1 Office Plaza, ${w.postalCode} ${w.city}`,
    'wd:Country_Reference': ref([['ISO_3166-1_Alpha-2_Code', w.countryAlpha2], ['ISO_3166-1_Alpha-3_Code', w.countryAlpha3]]),
    'wd:Municipality': w.city,
    'wd:Country_Region_Reference': ref([['Country_Region_ID', w.regionCode.replace('-', '_')], ['ISO_3166-2_Code', w.regionCode]]),
    'wd:Country_Region_Descriptor': w.region,
    'wd:Postal_Code': w.postalCode,
  };
}

/**
 * A Worker_Organization_Data entry, written once: it is the same for every worker of the organization (a fifth of
 * a page's bytes), and a function of these arguments only.
 */
const organizations = new Map<string, WrittenXml>();
function organization(kind: 'COMPANY' | 'COST_CENTER' | 'SUPERVISORY', subtype: string | null, code: string, name: string): WrittenXml {
  const key = `${kind}|${subtype ?? ''}|${code}|${name}`;
  let e = organizations.get(key);
  if (!e) {
    if (organizations.size >= 10_000) organizations.clear();
    organizations.set(key, (e = new WrittenXml(writeXml('wd:Worker_Organization_Data', organizationNode(kind, subtype, code, name)))));
  }
  return e;
}

export function organizationNode(kind: 'COMPANY' | 'COST_CENTER' | 'SUPERVISORY', subtype: string | null, code: string, name: string): Node {
  const refType = kind === 'COMPANY' ? 'Company_Reference_ID' : kind === 'COST_CENTER' ? 'Cost_Center_Reference_ID' : 'Organization_Reference_ID';
  return {
    'wd:Organization_Reference': ref([[refType, code]], name),
    'wd:Organization_Data': {
      'wd:Organization_Reference_ID': code,
      'wd:Organization_Code': code,
      'wd:Organization_Name': name,
      'wd:Organization_Type_Reference': ref([['Organization_Type_ID', kind]], kind.replace('_', ' ')),
      ...(subtype ? { 'wd:Organization_Subtype_Reference': ref([['Organization_Subtype_ID', subtype]], subtype) } : {}),
    },
  };
}

/**
 * A manager's entry in a management chain, written once per version of the store: a manager is in the chains of
 * all its reports (~a quarter of a page's bytes), and a changed worker (store.version) drops them all.
 */
const chains = new WeakMap<WorkerStore, { version: number; entries: Map<string, WrittenXml> }>();
function chainEntry(manager: SimWorker, store: WorkerStore): WrittenXml {
  let c = chains.get(store);
  if (!c || c.version !== store.version) chains.set(store, (c = { version: store.version, entries: new Map() }));
  let e = c.entries.get(manager.workerId);
  if (!e) {
    const node = {
      'wd:Organization_Reference': ref([['Organization_Reference_ID', `SUP-${manager.workerId}`]], `Team ${manager.lastName}`),
      'wd:Manager_Reference': workerReference(manager),
      'wd:Manager': { 'wd:Worker_Reference': workerReference(manager), 'wd:Worker_Descriptor': `${manager.preferredFirstName} ${manager.lastName}` },
    };
    c.entries.set(manager.workerId, (e = new WrittenXml(writeXml('wd:Management_Chain_Data', node))));
  }
  return e;
}

const workerRefType = (w: SimWorker) => (w.contingent ? 'Contingent_Worker_ID' : 'Employee_ID');

export function workerReference(w: SimWorker): Node {
  return ref([[workerRefType(w), w.workerId]], `${w.preferredFirstName} ${w.lastName}`, w.wid);
}

/** The wd:Worker element of one worker. */
export function workerNode(w: SimWorker, g: ResponseGroup, store: WorkerStore): Node {
  const data: Node = { 'wd:Worker_ID': w.workerId, 'wd:User_ID': w.userId, 'wd:Universal_ID': w.universalId };
  if (g.Include_Personal_Information) {
    data['wd:Personal_Data'] = {
      'wd:Name_Data': { 'wd:Legal_Name_Data': { 'wd:Name_Detail_Data': nameDetail(w, w.firstName) }, 'wd:Preferred_Name_Data': { 'wd:Name_Detail_Data': nameDetail(w, w.preferredFirstName) } },
      'wd:Gender_Reference': ref([['Gender_Code', w.gender]], w.gender.replace('_', ' ')),
      'wd:Primary_Nationality_Reference': ref([['ISO_3166-1_Alpha-2_Code', w.countryAlpha2], ['ISO_3166-1_Alpha-3_Code', w.countryAlpha3]]),
      'wd:Identification_Data': {
        'wd:National_ID': { 'wd:National_ID_Data': { 'wd:ID': w.nationalId, 'wd:ID_Type_Reference': ref([['National_ID_Type_Code', `${w.countryAlpha3}-NID`]]) } },
        'wd:Custom_ID': { 'wd:Custom_ID_Data': { 'wd:ID': w.customId, 'wd:ID_Type_Reference': ref([['Custom_ID_Type_ID', 'Badge_ID']]) } },
      },
      'wd:Contact_Data': {
        'wd:Address_Data': homeAddress(w),
        'wd:Phone_Data': {
          '@wd:Formatted_Phone': `+${phoneCode(w)} ${w.phone}`,
          'wd:Country_ISO_Code': w.countryAlpha3,
          'wd:International_Phone_Code': phoneCode(w),
          'wd:Phone_Number': w.phone,
          'wd:Usage_Data': usage('WORK', true),
        },
        'wd:Email_Address_Data': [
          { 'wd:Email_Address': w.email, 'wd:Usage_Data': { '@wd:Public': '1', ...usage('WORK', true) } },
          { 'wd:Email_Address': `${w.userId}@home.example`, 'wd:Usage_Data': { '@wd:Public': '0', ...usage('HOME', true) } },
        ],
      },
    };
  }
  if (g.Include_Employment_Information) {
    data['wd:Employment_Data'] = {
      'wd:Worker_Job_Data': {
        '@wd:Primary_Job': '1',
        'wd:Position_Data': {
          '@wd:Effective_Date': w.hireDate,
          'wd:Position_ID': `P-${w.workerId}`,
          'wd:Position_Title': w.positionTitle,
          'wd:Business_Title': w.businessTitle,
          'wd:Start_Date': w.hireDate,
          'wd:Worker_Type_Reference': w.contingent ? ref([['Contingent_Worker_Type_ID', 'Contractor']], 'Contractor') : ref([['Employee_Type_ID', 'Regular']], 'Regular'),
          'wd:Job_Classification_Summary_Data': { 'wd:Job_Classification_Reference': ref([['Job_Classification_Reference_ID', w.jobClassification]]), 'wd:Job_Group_Reference': ref([['Job_Classification_Group_ID', w.jobGroup]]) },
          'wd:Job_Profile_Summary_Data': {
            'wd:Job_Profile_Reference': ref([['Job_Profile_ID', w.jobProfile.replace(/ /g, '_')]], w.jobProfile),
            'wd:Management_Level_Reference': ref([['Management_Level_ID', w.managementLevel]]),
            'wd:Job_Family_Reference': ref([['Job_Family_ID', w.jobFamily]]),
            'wd:Job_Profile_Name': w.jobProfile,
          },
          'wd:Business_Site_Summary_Data': { 'wd:Location_Reference': ref([['Location_ID', w.site.replace(/ /g, '_')]]), 'wd:Name': w.site, 'wd:Address_Data': siteAddress(w) },
          'wd:Work_Space__Reference': ref([['Location_ID', w.workSpace]]),
        },
      },
      'wd:Worker_Status_Data': {
        'wd:Active': bool(!w.terminated),
        'wd:Active_Status_Date': w.terminated ? w.terminationDate : w.hireDate,
        'wd:Hire_Date': w.hireDate,
        'wd:Original_Hire_Date': w.originalHireDate,
        'wd:Retired': bool(w.retired),
        ...(w.retirementDate ? { 'wd:Retirement_Date': w.retirementDate } : {}),
        'wd:Terminated': bool(w.terminated),
        ...(w.terminationDate ? { 'wd:Termination_Date': w.terminationDate, 'wd:Termination_Last_Day_of_Work': w.terminationDate } : {}),
      },
    };
  }
  if (g.Include_Organizations) {
    // The order of Worker_Organization_Data: the supervisory organization first (index 0 in the spec's paths).
    data['wd:Organization_Data'] = {
      'wd:Worker_Organization_Data': [
        organization('SUPERVISORY', 'Department', `SUP-${w.department.replace(/ /g, '_')}`, w.department),
        organization('SUPERVISORY', 'Division', `DIV-${w.division}`, w.division),
        organization('COMPANY', null, w.contingent ? 'STAFF' : 'GMS', w.company),
        organization('COST_CENTER', null, w.costCenterCode, w.costCenterName),
      ],
    };
  }
  if (g.Include_Roles) {
    data['wd:Role_Data'] = { 'wd:Organization_Role_Data': { 'wd:Organization_Role': { 'wd:Organization_Role_Reference': ref([['Organization_Role_ID', w.organizationRole]], w.organizationRole) } } };
  }
  if (g.Include_Management_Chain_Data && w.managerId) {
    const m = store.get(w.managerId);
    if (m) {
      // The worker's own supervisory organization and its manager first, then up the chain.
      const chain: WrittenXml[] = [];
      for (let cur: typeof m | undefined = m, hops = 0; cur && hops < 50; cur = cur.managerId ? store.get(cur.managerId) : undefined, hops++) chain.push(chainEntry(cur, store));
      data['wd:Management_Chain_Data'] = { 'wd:Worker_Supervisory_Management_Chain_Data': { 'wd:Management_Chain_Data': chain } };
    }
  }
  if (g.Include_Qualifications) {
    data['wd:Qualification_Data'] = {
      'wd:External_Job_History': { 'wd:Job_History_Data': { 'wd:Job_Title': w.previousJobTitle, 'wd:Company': w.previousCompany } },
      'wd:Education': { 'wd:Education_Data': { 'wd:School_Name': w.school } },
    };
  }
  data['wd:Integration_Field_Override_Data'] = w.overrides.map((v, i) => ({ 'wd:Field_Reference': ref([['Integration_Document_Field_Name', `Field_${i + 1}`]]), 'wd:Value': v }));
  if (g.Include_Skills) {
    const skills = [...(store.workerSkills.get(w.workerId) ?? [])].map((id) => {
      const s = store.skillItems.get(id)!;
      return { 'wd:Skill_Reference': ref([['Skill_ID', id]], s.name), 'wd:Skill_Data': { '@wd:Name': s.name, 'wd:Category_Reference': ref([['Skill_Item_Category_Name', s.category]]), 'wd:ID': id } };
    });
    if (skills.length) data['wd:Skill_Data'] = { 'wd:Worker_Skill_Item': skills };
  }
  if (g.Include_User_Account) {
    data['wd:User_Account_Data'] = { 'wd:User_Name': w.userId, 'wd:Default_Display_Language_Reference': ref([['User_Language_ID', w.language]]) };
  }
  return {
    ...(g.Include_Reference ? { 'wd:Worker_Reference': workerReference(w) } : {}),
    'wd:Worker_Descriptor': `${w.preferredFirstName} ${w.lastName}`,
    'wd:Worker_Data': data,
  };
}

const CODES: Record<string, string> = { DEU: '49', PRT: '351', JPN: '81', CAN: '1', KEN: '254' };
const phoneCode = (w: SimWorker) => CODES[w.countryAlpha3] ?? '1';
