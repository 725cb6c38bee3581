/**
 * The simulated tenant: a seeded, deterministic workforce (same seed and count, same workers) with a
 * supervisory tree, contingent and terminated workers, organizations (company, cost center, department,
 * division), and the transaction log Get_Workers' Transaction_Log_Criteria_Data reads (each worker's last
 * update time). Skill items and workers' skills are what Manage_Skills wrote.
 * Worker data shape: https://community.workday.com/sites/default/files/file-hosting/productionapi/Human_Resources/v40.1/Get_Workers.html
 */
import { mulberry32 as rng } from '../../src/platform/seed/prng.ts';

export interface SimWorker {
  /** Employee_ID, or Contingent_Worker_ID for contingent workers: the Worker_ID Workday returns. */
  workerId: string;
  wid: string;
  userId: string;
  universalId: string;
  contingent: boolean;
  firstName: string;
  lastName: string;
  preferredFirstName: string;
  title: string;
  email: string;
  phone: string;
  city: string;
  countryAlpha2: string;
  countryAlpha3: string;
  regionCode: string;
  region: string;
  postalCode: string;
  street: string;
  gender: 'Male' | 'Female' | 'Not_Declared';
  nationalId: string;
  customId: string;
  language: string;
  positionTitle: string;
  businessTitle: string;
  jobProfile: string;
  jobFamily: string;
  jobClassification: string;
  jobGroup: string;
  managementLevel: string;
  workSpace: string;
  site: string;
  hireDate: string;
  originalHireDate: string;
  terminated: boolean;
  terminationDate: string | null;
  retired: boolean;
  retirementDate: string | null;
  department: string;
  division: string;
  company: string;
  costCenterCode: string;
  costCenterName: string;
  organizationRole: string;
  school: string;
  previousJobTitle: string;
  previousCompany: string;
  overrides: string[];
  /** The manager's workerId (the head of the worker's supervisory organization); null for the top. */
  managerId: string | null;
  /** Transaction log: when the worker last changed. */
  updatedAt: Date;
}


const GIVEN = ['Ada', 'Bruno', 'Chloé', 'Dmitri', 'Elif', 'Farah', 'Goran', 'Hana', 'Ivo', 'Jun', 'Kemal', 'Lena', 'Mateo', 'Nia', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tariq', 'Uma', 'Viktor', 'Wen', 'Yara', 'Zoë'];
const SUR = ['Andersen', 'Bauer', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'García', 'Haddad', 'Ivanova', 'Jansen', 'Kowalski', 'López', 'Müller', 'Nakamura', 'Okafor', 'Petrov', 'Rossi', 'Silva', 'Tanaka', 'Varga', 'Weber', 'Yilmaz', 'Zhang'];
const DEPTS = ['Sales', 'Engineering', 'Finance', 'Human Resources', 'Operations', 'Legal', 'Marketing'];
const DIVISIONS = ['Americas', 'EMEA', 'APAC'];
const PLACES = [
  { city: 'Berlin', a2: 'DE', a3: 'DEU', region: 'Berlin', regionCode: 'DE-BE', postal: '10115', phoneCode: '49' },
  { city: 'Lisbon', a2: 'PT', a3: 'PRT', region: 'Lisboa', regionCode: 'PT-11', postal: '1100-148', phoneCode: '351' },
  { city: 'Osaka', a2: 'JP', a3: 'JPN', region: 'Osaka', regionCode: 'JP-27', postal: '530-0001', phoneCode: '81' },
  { city: 'Toronto', a2: 'CA', a3: 'CAN', region: 'Ontario', regionCode: 'CA-ON', postal: 'M5H 2N2', phoneCode: '1' },
  { city: 'Nairobi', a2: 'KE', a3: 'KEN', region: 'Nairobi', regionCode: 'KE-30', postal: '00100', phoneCode: '254' },
];
const TITLES = ['Analyst', 'Engineer', 'Manager', 'Specialist', 'Consultant', 'Coordinator', 'Director'];
const LEVELS = ['Individual_Contributor', 'Manager', 'Director', 'Executive'];
const SCHOOLS = ['University of Lisbon', 'TU Berlin', 'University of Toronto', 'Osaka University', 'University of Nairobi'];

export interface StoreOptions {
  workers?: number;
  seed?: number;
  domain?: string;
  /** Every n-th worker is contingent (default 10); 0: none. */
  contingentEvery?: number;
  /** Every n-th worker (not the top) is terminated (default 25); 0: none. */
  terminatedEvery?: number;
  /** Direct reports per manager in the generated tree (default 5). */
  span?: number;
  /** Employee_ID of the first worker minus one (default 21000): another tenant's ids. */
  firstId?: number;
  /** Names of the tenant's skill item categories (default: "Learning Manager" and "Technical Skills"). */
  skillItemCategories?: string[];
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export class WorkerStore {
  private byId = new Map<string, SimWorker>();
  /** Workers in tenant order (Get_Workers pages walk it). */
  list: SimWorker[] = [];
  /** Skill items by Skill_ID: name and category (the four-level hierarchy ends at the item). */
  skillItems = new Map<string, { name: string; category: string }>();
  /** Skill item categories by Skill_Item_Category_Name (configured in the tenant; Put_Skill refers to one). */
  skillItemCategories: Set<string>;
  /** workerId -> Skill_IDs the worker has. */
  workerSkills = new Map<string, Set<string>>();
  readonly domain: string;
  /** Counts changes (update, add): a cached selection of an older version is stale. */
  version = 0;

  constructor(o: StoreOptions = {}) {
    this.skillItemCategories = new Set(o.skillItemCategories ?? ['Learning Manager', 'Technical Skills']);
    const n = o.workers ?? 50;
    const rand = rng(o.seed ?? 40_1);
    this.domain = o.domain ?? 'workday.example';
    const contingentEvery = o.contingentEvery ?? 10;
    const terminatedEvery = o.terminatedEvery ?? 25;
    const span = o.span ?? 5;
    // Hires spread over the past years; computed from now so no test depends on the day it runs.
    const now = Date.now();
    const created = new Date(now - 24 * 3600_000);
    for (let i = 0; i < n; i++) {
      const contingent = contingentEvery > 0 && i > 0 && i % contingentEvery === 0;
      const terminated = terminatedEvery > 0 && i > 0 && i % terminatedEvery === 0;
      const first = GIVEN[Math.floor(rand() * GIVEN.length)];
      const last = SUR[Math.floor(rand() * SUR.length)];
      const place = PLACES[i % PLACES.length];
      const dept = DEPTS[Math.floor(rand() * DEPTS.length)];
      const workerId = contingent ? `C${pad((o.firstId ?? 0) + i + 1, 6)}` : pad((o.firstId ?? 21000) + i + 1, 6);
      const hire = new Date(now - (30 + Math.floor(rand() * 3000)) * 86400_000);
      const termination = terminated ? new Date(now - (1 + Math.floor(rand() * 20)) * 86400_000) : null;
      const title = i === 0 ? 'Chief Executive Officer' : TITLES[Math.floor(rand() * TITLES.length)];
      const w: SimWorker = {
        workerId,
        wid: `${pad(i + 1, 8)}${'a1b2c3d4e5f6a7b8c9d0e1f2'}`,
        userId: `${first}.${last}${i}`.toLowerCase().normalize('NFD').replace(/[^a-z0-9.]/g, ''),
        universalId: `U${pad(i + 1, 8)}`,
        contingent,
        firstName: first,
        lastName: last,
        preferredFirstName: i % 7 === 3 ? first.slice(0, 3) : first,
        title: i % 2 ? 'Ms.' : 'Mr.',
        email: `${first}.${last}.${i}`.toLowerCase().normalize('NFD').replace(/[^a-z0-9.]/g, '') + `@${this.domain}`,
        phone: `555 ${pad(1000 + i, 4)}`,
        city: place.city,
        countryAlpha2: place.a2,
        countryAlpha3: place.a3,
        regionCode: place.regionCode,
        region: place.region,
        postalCode: place.postal,
        street: `${1 + (i % 90)} Main Street`,
        gender: (['Male', 'Female', 'Not_Declared'] as const)[i % 3],
        nationalId: `NID${pad(i * 7919, 9)}`,
        customId: `BADGE-${pad(i + 1, 5)}`,
        language: i % 4 === 1 ? 'fr_FR' : 'en_US',
        positionTitle: `${title}, ${dept}`,
        businessTitle: title,
        jobProfile: `${dept} ${title}`,
        jobFamily: `${dept.replace(/ /g, '_')}_Family`,
        jobClassification: `EEO_${1 + (i % 9)}`,
        jobGroup: 'EEO-1',
        managementLevel: LEVELS[Math.min(3, i === 0 ? 3 : Math.floor(rand() * 3))],
        workSpace: `${place.city.toUpperCase().slice(0, 3)}-${1 + (i % 12)}F`,
        site: `${place.city} Office`,
        hireDate: isoDay(hire),
        originalHireDate: isoDay(new Date(hire.getTime() - (i % 5 === 0 ? 400 * 86400_000 : 0))),
        terminated,
        terminationDate: termination ? isoDay(termination) : null,
        retired: false,
        retirementDate: null,
        department: dept,
        division: DIVISIONS[i % DIVISIONS.length],
        company: contingent ? 'Staffing Partner Ltd' : 'Global Modern Services, Inc.',
        costCenterCode: `CC${pad(10000 + DEPTS.indexOf(dept) * 100, 5)}`,
        costCenterName: `${dept} Cost Center`,
        organizationRole: i % span === 0 ? 'Manager' : 'Member',
        school: SCHOOLS[i % SCHOOLS.length],
        previousJobTitle: `Junior ${title}`,
        previousCompany: `Previous Co ${1 + (i % 17)}`,
        overrides: ['P1', 'North', `G${1 + (i % 4)}`, `Band ${1 + (i % 6)}`],
        managerId: i === 0 ? null : this.list[Math.floor((i - 1) / span)].workerId,
        updatedAt: created,
      };
      this.list.push(w);
      this.byId.set(workerId, w);
    }
  }

  get size(): number {
    return this.list.length;
  }

  get(workerId: string): SimWorker | undefined {
    return this.byId.get(workerId);
  }

  /** Changes a worker (the transaction log records it now). */
  update(workerId: string, patch: Partial<SimWorker>, at = new Date()): SimWorker {
    const w = this.byId.get(workerId);
    if (!w) throw new Error(`no worker ${workerId}`);
    Object.assign(w, patch, { updatedAt: at });
    this.version++;
    return w;
  }

  /** Terminates a worker (Worker_Status_Data/Terminated, a transaction logged now). */
  terminate(workerId: string, at = new Date()): SimWorker {
    return this.update(workerId, { terminated: true, terminationDate: isoDay(at) }, at);
  }

  /** Hires a worker (logged now). */
  add(w: Omit<SimWorker, 'updatedAt'>, at = new Date()): SimWorker {
    const full = { ...w, updatedAt: at };
    this.list.push(full);
    this.byId.set(full.workerId, full);
    this.version++;
    return full;
  }

  /** The workers Get_Workers' criteria select, in tenant order. */
  select(c: { excludeInactive: boolean; excludeContingent: boolean; excludeEmployees: boolean; updatedFrom?: Date; updatedThrough?: Date; asOf?: string; ids?: string[] }): SimWorker[] {
    const source = c.ids ? c.ids.map((id) => this.byId.get(id)).filter((w): w is SimWorker => Boolean(w)) : this.list;
    return source.filter((w) => {
      if (c.excludeInactive && w.terminated) return false;
      if (c.excludeContingent && w.contingent) return false;
      if (c.excludeEmployees && !w.contingent) return false;
      // Not yet hired on the effective date: not a worker then.
      if (c.asOf && w.hireDate > c.asOf) return false;
      if (c.updatedFrom && w.updatedAt < c.updatedFrom) return false;
      if (c.updatedThrough && w.updatedAt > c.updatedThrough) return false;
      return true;
    });
  }

  /** Put_Skill: adds the skill item, or updates its name and category. */
  putSkillItem(skillId: string, name: string, category: string): void {
    this.skillItems.set(skillId, { name, category });
  }

  /** Manage_Skills: an existing skill item is added to the worker's skills. */
  addWorkerSkill(workerId: string, skillId: string): void {
    let set = this.workerSkills.get(workerId);
    if (!set) this.workerSkills.set(workerId, (set = new Set()));
    set.add(skillId);
  }
}
