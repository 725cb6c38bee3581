/**
 * The Workday attributes the mapping offers: exactly the spec's "List of supported Workday attributes", each
 * resolved from a wd:Worker of Get_Workers
 * (https://community.workday.com/sites/default/files/file-hosting/productionapi/Human_Resources/v40.1/Get_Workers.html).
 *
 * A path is read as the spec writes it, from wd:Worker_Data: `wd:` prefixes name elements, `@wd:X` an
 * attribute, a number the n-th of a repeated element (0-based; an element present once is its own 0th), `$`
 * the element's text. Reference ids list the WID first, so `ID.1.$` is the reference's own id (e.g. the
 * ISO_3166-1_Alpha-3_Code of a country is `ID.2.$`). A few names are not paths; their meaning is below.
 */
import type { SourceField } from '../../kit/user-source.ts';
import type { XmlNode } from './client.ts';

/** Response_Group flags of Get_Workers (Worker_Response_GroupType). */
export type GroupFlag =
  | 'Include_Reference'
  | 'Include_Personal_Information'
  | 'Include_Employment_Information'
  | 'Include_Organizations'
  | 'Include_Roles'
  | 'Include_Management_Chain_Data'
  | 'Include_Qualifications'
  | 'Include_User_Account';

export interface WorkdayAttribute extends SourceField {
  /** The Response_Group parts the value needs. */
  needs: GroupFlag[];
  /**
   * The elements under Worker_Data the value is read from (local names joined by '.'; `[0]` after a name: only
   * its first occurrence): a page read keeps these subtrees and nothing else (worker-page.ts).
   */
  keeps: string[];
  read(workerData: XmlNode): string | boolean | null;
}

/** Resolves a spec path on a node (see the top of the file). */
export function resolvePath(node: unknown, path: string): unknown {
  let cur: unknown = node;
  for (const raw of path.split('.')) {
    if (cur === undefined || cur === null) return undefined;
    if (/^\d+$/.test(raw)) {
      const i = Number(raw);
      cur = Array.isArray(cur) ? cur[i] : i === 0 ? cur : undefined;
      continue;
    }
    if (Array.isArray(cur)) cur = cur[0];
    if (typeof cur !== 'object' || cur === null) return undefined;
    if (raw === '$') {
      cur = (cur as XmlNode).$;
      continue;
    }
    const key = raw.startsWith('@') ? `@${raw.slice(1).replace(/^wd:/, '')}` : raw.replace(/^wd:/, '');
    cur = (cur as XmlNode)[key];
  }
  return cur;
}

/** An element's text whatever its shape (a string, or an object with attributes and $). */
export function textValue(v: unknown): string | null {
  if (Array.isArray(v)) v = v[0];
  if (v === undefined || v === null) return null;
  if (typeof v === 'object') {
    const t = (v as XmlNode).$;
    return t === undefined || t === null || t === '' ? null : String(t);
  }
  const s = String(v);
  return s === '' ? null : s;
}

const list = (v: unknown): XmlNode[] => (v === undefined || v === null ? [] : ((Array.isArray(v) ? v : [v]) as XmlNode[]));

/** The id of a given type in a reference (wd:ID wd:type="..."). */
export function refId(ref: unknown, type: string): string | null {
  const hit = list((Array.isArray(ref) ? ref[0] : (ref as XmlNode | undefined))?.ID).find((i) => i && typeof i === 'object' && i['@type'] === type);
  return hit ? textValue(hit) : null;
}

/** The worker's organizations of a type (Organization_Type_ID) or subtype (Organization_Subtype_ID). */
function organization(w: XmlNode, o: { type?: string; subtype?: string }): XmlNode | undefined {
  const all = list(resolvePath(w, 'Organization_Data.Worker_Organization_Data'));
  return all
    .map((x) => x.Organization_Data as XmlNode)
    .find((d) => d && (o.type ? refId(d.Organization_Type_Reference, 'Organization_Type_ID') === o.type : refId(d.Organization_Subtype_Reference, 'Organization_Subtype_ID') === o.subtype));
}

/** Manager of the worker's own supervisory organization (the first of the management chain): an id of a type. */
function managerId(w: XmlNode, type: string): string | null {
  const first = list(resolvePath(w, 'Management_Chain_Data.Worker_Supervisory_Management_Chain_Data.Management_Chain_Data'))[0];
  if (!first) return null;
  const manager = list(first.Manager)[0];
  return refId(manager?.Worker_Reference, type) ?? refId(first.Manager_Reference, type);
}

/** The manager's Employee_ID (the spec's `Manager.Employee_ID`; none for a contingent manager). */
export const managerEmployeeId = (w: XmlNode) => managerId(w, 'Employee_ID');

/** The manager's worker id whatever the kind of worker (what records name managers by). */
export const managerWorkerId = (w: XmlNode) => managerId(w, 'Employee_ID') ?? managerId(w, 'Contingent_Worker_ID');

const BOOLEAN = new Set(['Active', 'Retired', 'Terminated']);
const DATE = /(_Date|_Day_of_Work)$/;

function needsOf(path: string): GroupFlag[] {
  const top = path.split('.')[0].replace(/^wd:/, '');
  const g: Record<string, GroupFlag> = {
    Personal_Data: 'Include_Personal_Information',
    Employment_Data: 'Include_Employment_Information',
    Organization_Data: 'Include_Organizations',
    Role_Data: 'Include_Roles',
    Management_Chain_Data: 'Include_Management_Chain_Data',
    Qualification_Data: 'Include_Qualifications',
    User_Account_Data: 'Include_User_Account',
  };
  return g[top] ? [g[top]] : [];
}

/** An attribute read by its own path (or, where Workday's schema nests it deeper, by `at`). */
function byPath(name: string, at = name): WorkdayAttribute {
  const last = name.split('.').filter((x) => !/^\d+$/.test(x) && x !== '$' && x !== 'wd:ID').pop()!.replace(/^@?wd:/, '');
  const boolean = BOOLEAN.has(last);
  return {
    name,
    label: name,
    type: boolean ? 'boolean' : DATE.test(last) ? 'date' : last === 'Email_Address' ? 'email' : 'string',
    needs: needsOf(at),
    keeps: [elementPath(at)],
    read: (w) => {
      const v = textValue(resolvePath(w, at));
      if (!boolean || v === null) return v;
      return v === '1' || v === 'true';
    },
  };
}

/** The element a spec path ends in (its indexes, `$` and attribute left out): the subtree its value is in. */
function elementPath(path: string): string {
  return path
    .split('.')
    .filter((x) => !/^\d+$/.test(x) && x !== '$' && !x.startsWith('@'))
    .map((x) => x.replace(/^wd:/, ''))
    .join('.');
}

/** Only the first entry of the supervisory chain is read: the manager of the worker's own organization. */
const FIRST_OF_CHAIN = 'Management_Chain_Data.Worker_Supervisory_Management_Chain_Data.Management_Chain_Data[0]';

function derived(name: string, description: string, needs: GroupFlag[], keeps: string[], read: WorkdayAttribute['read'], type: SourceField['type'] = 'string'): WorkdayAttribute {
  return { name, label: name, description, type, needs, keeps, read };
}

const orgName = (w: XmlNode, o: { type?: string; subtype?: string }) => textValue(organization(w, o)?.Organization_Name);

/** The spec's list, in its order. */
export const WORKDAY_ATTRIBUTES: WorkdayAttribute[] = [
  byPath('wd:User_ID'),
  byPath('wd:Worker_ID'),
  // The manager is given by the worker's id (the import links it to that worker's user); the value is empty so
  // a mapping of the manager column to "manager" uses it.
  derived('manager', "The worker's manager (the head of the worker's supervisory organization), linked by Workday worker id", ['Include_Management_Chain_Data'], [FIRST_OF_CHAIN], () => null),
  byPath('wd:Personal_Data.wd:Name_Data.wd:Preferred_Name_Data.wd:Name_Detail_Data.@wd:Formatted_Name'),
  byPath('wd:Personal_Data.wd:Name_Data.wd:Legal_Name_Data.wd:Name_Detail_Data.@wd:Formatted_Name'),
  byPath('wd:Personal_Data.wd:Name_Data.wd:Legal_Name_Data.wd:Name_Detail_Data.wd:Prefix_Data.wd:Title_Descriptor'),
  byPath('wd:Personal_Data.wd:Name_Data.wd:Preferred_Name_Data.wd:Name_Detail_Data.wd:Prefix_Data.wd:Title_Descriptor'),
  byPath('wd:Personal_Data.wd:Name_Data.wd:Preferred_Name_Data.wd:Name_Detail_Data.wd:First_Name'),
  byPath('wd:Personal_Data.wd:Name_Data.wd:Preferred_Name_Data.wd:Name_Detail_Data.wd:Last_Name'),
  byPath('wd:Personal_Data.wd:Name_Data.wd:Legal_Name_Data.wd:Name_Detail_Data.wd:First_Name'),
  byPath('wd:Personal_Data.wd:Name_Data.wd:Legal_Name_Data.wd:Name_Detail_Data.wd:Last_Name'),
  byPath('wd:Personal_Data.wd:Contact_Data.wd:Address_Data.0.@wd:Formatted_Address'),
  byPath('wd:Personal_Data.wd:Contact_Data.wd:Address_Data.0.wd:Postal_Code'),
  byPath('wd:Personal_Data.wd:Contact_Data.wd:Email_Address_Data.0.wd:Email_Address'),
  byPath('wd:Personal_Data.wd:Contact_Data.wd:Address_Data.0.wd:Country_Region_Descriptor'),
  byPath('wd:Personal_Data.wd:Contact_Data.wd:Phone_Data.0.@wd:Formatted_Phone'),
  byPath('wd:Personal_Data.wd:Contact_Data.wd:Phone_Data.0.wd:Country_ISO_Code'),
  byPath('wd:Personal_Data.wd:Contact_Data.wd:Phone_Data.0.wd:International_Phone_Code'),
  byPath('wd:Personal_Data.wd:Contact_Data.wd:Phone_Data.0.wd:Phone_Number'),
  byPath('wd:Personal_Data.wd:Primary_Nationality_Reference.wd:ID.1.$'),
  byPath('wd:Personal_Data.wd:Gender_Reference.wd:ID.1.$'),
  byPath('wd:Personal_Data.wd:Identification_Data.wd:National_ID.0.wd:National_ID_Data.wd:ID'),
  byPath('wd:Personal_Data.wd:Identification_Data.wd:Custom_ID.0.wd:Custom_ID_Data.wd:ID'),
  byPath('wd:User_Account_Data.wd:Default_Display_Language_Reference.wd:ID.1.$'),
  byPath('wd:Role_Data.wd:Organization_Role_Data.wd:Organization_Role.0.wd:Organization_Role_Reference.wd:ID.1.$'),
  byPath('wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Position_Title'),
  byPath('wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Business_Title'),
  byPath('wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Business_Site_Summary_Data.wd:Name'),
  byPath('wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Business_Site_Summary_Data.wd:Address_Data.@wd:Formatted_Address'),
  byPath('wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Job_Classification_Summary_Data.0.wd:Job_Classification_Reference.wd:ID.1.$'),
  byPath('wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Job_Classification_Summary_Data.0.wd:Job_Group_Reference.wd:ID.1.$'),
  byPath('wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Work_Space__Reference.wd:ID.1.$'),
  byPath('wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Job_Profile_Summary_Data.wd:Job_Family_Reference.0.wd:ID.1.$'),
  byPath('wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Job_Profile_Summary_Data.wd:Job_Profile_Name'),
  byPath('wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Job_Profile_Summary_Data.wd:Job_Profile_Reference.wd:ID.1.$'),
  byPath('wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Business_Site_Summary_Data.wd:Address_Data.0.wd:Country_Reference.wd:ID.2.$'),
  byPath('wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Worker_Type_Reference.wd:ID.1.$'),
  byPath('wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Business_Site_Summary_Data.wd:Address_Data.0.@wd:Formatted_Address'),
  byPath('wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Job_Profile_Summary_Data.wd:Management_Level_Reference.wd:ID.1.$'),
  byPath('wd:Employment_Data.wd:Worker_Status_Data.wd:Active'),
  byPath('wd:Employment_Data.wd:Worker_Status_Data.wd:Active_Status_Date'),
  byPath('wd:Employment_Data.wd:Worker_Status_Data.wd:Hire_Date'),
  byPath('wd:Employment_Data.wd:Worker_Status_Data.wd:Original_Hire_Date'),
  byPath('wd:Employment_Data.wd:Worker_Status_Data.wd:Retired'),
  byPath('wd:Employment_Data.wd:Worker_Status_Data.wd:Retirement_Date'),
  byPath('wd:Employment_Data.wd:Worker_Status_Data.wd:Terminated'),
  byPath('wd:Employment_Data.wd:Worker_Status_Data.wd:Termination_Date'),
  byPath('wd:Employment_Data.wd:Worker_Status_Data.wd:Termination_Last_Day_of_Work'),
  byPath('wd:Organization_Data.wd:Worker_Organization_Data.0.wd:Organization_Data.wd:Organization_Code'),
  byPath('wd:Organization_Data.wd:Worker_Organization_Data.0.wd:Organization_Data.wd:Organization_Name'),
  byPath('wd:Organization_Data.wd:Worker_Organization_Data.0.wd:Organization_Data.wd:Organization_Type_Reference.wd:ID.1.$'),
  byPath('wd:Organization_Data.wd:Worker_Organization_Data.0.wd:Organization_Data.wd:Organization_Subtype_Reference.wd:ID.1.$'),
  // Workday's schema keeps the school in Education/Education_Data (Education_Achievement_DataType).
  byPath('wd:Qualification_Data.wd:Education.0.wd:School_Name', 'wd:Qualification_Data.wd:Education.0.wd:Education_Data.0.wd:School_Name'),
  byPath('wd:Qualification_Data.wd:External_Job_History.0.wd:Job_History_Data.wd:Job_Title'),
  byPath('wd:Qualification_Data.wd:External_Job_History.0.wd:Job_History_Data.wd:Company'),
  derived(
    'wd:Management_Chain_Data.wd:Worker_Supervisory_Management_Chain_Data.wd:Management_Chain_Data.0.wd:Manager.Employee_ID',
    "The Employee_ID of the manager of the worker's supervisory organization",
    ['Include_Management_Chain_Data'],
    [FIRST_OF_CHAIN],
    managerEmployeeId,
  ),
  derived(
    'Primary Work Email',
    'The e-mail address marked primary for Work use',
    ['Include_Personal_Information'],
    ['Personal_Data.Contact_Data.Email_Address_Data'],
    (w) => {
      const mails = list(resolvePath(w, 'Personal_Data.Contact_Data.Email_Address_Data'));
      const work = mails.filter((m) => list((list(m.Usage_Data)[0] ?? {}).Type_Data).some((t) => refId(t.Type_Reference, 'Communication_Usage_Type_ID') === 'WORK' && ['1', 'true'].includes(String(t['@Primary'] ?? ''))));
      return textValue(work[0]?.Email_Address);
    },
    'email',
  ),
  derived('wd:Organization_Type_Reference_Cost_Center_ID', "The code of the worker's cost center", ['Include_Organizations'], ['Organization_Data.Worker_Organization_Data'], (w) => textValue(organization(w, { type: 'COST_CENTER' })?.Organization_Code) ?? textValue(organization(w, { type: 'COST_CENTER' })?.Organization_Reference_ID)),
  derived('wd:Organization_Type_Reference_Cost_Center_Name', "The name of the worker's cost center", ['Include_Organizations'], ['Organization_Data.Worker_Organization_Data'], (w) => orgName(w, { type: 'COST_CENTER' })),
  derived('wd:Organization_Type_Reference_Company', "The name of the worker's company", ['Include_Organizations'], ['Organization_Data.Worker_Organization_Data'], (w) => orgName(w, { type: 'COMPANY' })),
  derived('wd:Organization_Subtype_Reference_Department', "The name of the worker's organization of subtype Department", ['Include_Organizations'], ['Organization_Data.Worker_Organization_Data'], (w) => orgName(w, { subtype: 'Department' })),
  derived('wd:Organization_Subtype_Reference_Division', "The name of the worker's organization of subtype Division", ['Include_Organizations'], ['Organization_Data.Worker_Organization_Data'], (w) => orgName(w, { subtype: 'Division' })),
  byPath('wd:Universal_ID'),
  byPath('wd:Integration_Field_Override_Data.3.wd:Value'),
  byPath('wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Business_Site_Summary_Data.wd:Address_Data.0.wd:Country_Region_Descriptor'),
  byPath('wd:Employment_Data.wd:Worker_Job_Data.0.wd:Position_Data.wd:Business_Site_Summary_Data.wd:Address_Data.0.wd:Country_Region_Reference.wd:ID.2.$'),
  byPath('wd:Personal_Data.wd:Contact_Data.wd:Address_Data.0.wd:Municipality'),
];

const BY_NAME = new Map(WORKDAY_ATTRIBUTES.map((a) => [a.name, a]));

export const attribute = (name: string): WorkdayAttribute | undefined => BY_NAME.get(name);

/** The Response_Group for the attributes a read needs (references always, for the worker ids). */
export function responseGroupFor(names: string[]): Record<GroupFlag, boolean> {
  const g = Object.fromEntries(
    (['Include_Reference', 'Include_Personal_Information', 'Include_Employment_Information', 'Include_Organizations', 'Include_Roles', 'Include_Management_Chain_Data', 'Include_Qualifications', 'Include_User_Account'] as GroupFlag[]).map((f) => [f, false]),
  ) as Record<GroupFlag, boolean>;
  g.Include_Reference = true;
  // Terminated workers of a delta read are recognised by their status; managers always come by id.
  g.Include_Employment_Information = true;
  g.Include_Management_Chain_Data = true;
  for (const n of names) for (const f of attribute(n)?.needs ?? []) g[f] = true;
  return g;
}

/**
 * The elements under Worker_Data a read of these attributes keeps (worker-page.ts): theirs, and what every read
 * needs (the worker id, the status a delta read recognises terminated workers by, the direct manager).
 */
export function keepsOf(names: string[]): string[] {
  const keeps = new Set(['Worker_ID', 'Employment_Data.Worker_Status_Data.Terminated', FIRST_OF_CHAIN]);
  for (const n of names) for (const k of attribute(n)?.keeps ?? []) keeps.add(k);
  return [...keeps];
}
