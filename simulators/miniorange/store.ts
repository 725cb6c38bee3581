/**
 * The simulated tenant's users as SCIM 2.0 User resources (RFC 7643 §4.1, §4.3, the full example of §8.2):
 * a seeded, deterministic directory (same seed and count, same users) whose managers form a tree, a few
 * inactive users (`active: false`), custom attributes in the tenant's extension, and meta.lastModified moving
 * on every change (what an incremental read filters on).
 */
import { CORE_USER, CUSTOM_SCHEMA, ENTERPRISE_USER } from './schemas.ts';
import { mulberry32 as rng } from '../../src/platform/seed/prng.ts';

export interface ScimUser {
  schemas: string[];
  id: string;
  externalId?: string;
  userName: string;
  name: { formatted: string; givenName: string; familyName: string };
  displayName: string;
  title?: string;
  userType?: string;
  preferredLanguage?: string;
  active: boolean;
  emails: Array<{ value: string; type: string; primary?: boolean }>;
  phoneNumbers?: Array<{ value: string; type: string; primary?: boolean }>;
  addresses?: Array<{ type: string; locality?: string; country?: string; primary?: boolean }>;
  [ENTERPRISE_USER]?: { employeeNumber?: string; department?: string; division?: string; costCenter?: string; organization?: string; manager?: { value: string; $ref: string; displayName?: string } };
  [CUSTOM_SCHEMA]?: { badgeNumber?: string; businessUnit?: string; contractor?: boolean; hireDate?: string };
  meta: { resourceType: 'User'; created: string; lastModified: string; location: string; version: string };
}


const GIVEN = ['Aarav', 'Bianca', 'Chen', 'Dalia', 'Emeka', 'Freya', 'Gustavo', 'Hiro', 'Ines', 'Jonas', 'Kavya', 'Liam', 'Mira', 'Nikolai', 'Olga', 'Pablo', 'Rania', 'Sana', 'Tomas', 'Vera'];
const FAMILY = ['Agarwal', 'Berg', 'Castro', 'Dimitrov', 'Eze', 'Fontaine', 'Gupta', 'Horvat', 'Ito', 'Jovanovic', 'Kaur', 'Lindqvist', 'Mendes', 'Novak', 'Oyelaran', 'Park', 'Quispe', 'Reyes'];
const DEPTS = ['Sales', 'Engineering', 'Finance', 'Support', 'Operations'];
const UNITS = ['EMEA', 'APAC', 'Americas'];
const TITLES = ['Analyst', 'Engineer', 'Manager', 'Consultant', 'Director'];
const CITIES: Array<[string, string]> = [['Pune', 'IN'], ['Berlin', 'DE'], ['Austin', 'US'], ['Lisbon', 'PT'], ['Osaka', 'JP']];

export interface StoreOptions {
  users?: number;
  seed?: number;
  domain?: string;
  /** Every n-th user is inactive (default 10; 0: none). */
  inactiveEvery?: number;
}

export class ScimUserStore {
  private readonly byId = new Map<string, ScimUser>();
  private readonly random: () => number;
  private made = 0;
  private base = '';
  readonly domain: string;

  constructor(o: StoreOptions = {}) {
    this.random = rng(o.seed ?? 7);
    this.domain = o.domain ?? 'acme.test';
    const n = o.users ?? 120;
    const every = o.inactiveEvery ?? 10;
    // Seeded users were last changed days ago; changes made through the store are stamped with now.
    const seededAt = new Date(Date.now() - 3 * 86_400_000);
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      // A tree: the first user is the root; each other user reports to one made before it (about 6 reports each).
      const manager = i === 0 ? undefined : ids[Math.floor((i - 1) / 6)];
      const u = this.add({ active: !(every > 0 && i > 0 && i % every === 0) }, manager, seededAt);
      ids.push(u.id);
    }
  }

  /** The SCIM base URL, for meta.location and manager.$ref (set when the server listens). */
  setBase(base: string): void {
    this.base = base;
    for (const u of this.byId.values()) this.locate(u);
  }

  private locate(u: ScimUser): void {
    u.meta.location = `${this.base}/Users/${u.id}`;
    const m = u[ENTERPRISE_USER]?.manager;
    if (m) m.$ref = `${this.base}/Users/${m.value}`;
  }

  private pick<T>(a: readonly T[]): T {
    return a[Math.floor(this.random() * a.length)];
  }

  get size(): number {
    return this.byId.size;
  }

  all(): ScimUser[] {
    return [...this.byId.values()];
  }

  get(id: string): ScimUser | undefined {
    return this.byId.get(id);
  }

  /** A new user (fields given override the generated ones); `managerId` links the enterprise manager. */
  add(over: Partial<ScimUser> = {}, managerId?: string, at = new Date()): ScimUser {
    const i = this.made++;
    const given = this.pick(GIVEN);
    const family = this.pick(FAMILY);
    const login = `${given}.${family}${i}`.toLowerCase();
    const [city, country] = this.pick(CITIES);
    const id = `mo-${(100000 + i).toString(36)}-${Math.floor(this.random() * 1e6).toString(36)}`;
    const mgr = managerId ? this.byId.get(managerId) : undefined;
    const u: ScimUser = {
      schemas: [CORE_USER, ENTERPRISE_USER, CUSTOM_SCHEMA],
      id,
      externalId: `EXT-${1000 + i}`,
      userName: `${login}@${this.domain}`,
      name: { formatted: `${given} ${family}`, givenName: given, familyName: family },
      displayName: `${given} ${family}`,
      title: this.pick(TITLES),
      userType: 'Employee',
      preferredLanguage: 'en-US',
      active: true,
      emails: [{ value: `${login}@${this.domain}`, type: 'work', primary: true }, { value: `${login}@home.test`, type: 'home' }],
      phoneNumbers: [{ value: `+1 555 01${String(i % 100).padStart(2, '0')}`, type: 'work' }],
      addresses: [{ type: 'work', locality: city, country, primary: true }],
      [ENTERPRISE_USER]: {
        employeeNumber: String(50000 + i),
        department: this.pick(DEPTS),
        division: this.pick(UNITS),
        costCenter: `CC-${100 + (i % 7)}`,
        organization: 'Acme',
        ...(mgr ? { manager: { value: mgr.id, $ref: '', displayName: mgr.displayName } } : {}),
      },
      [CUSTOM_SCHEMA]: { badgeNumber: `B-${7000 + i}`, businessUnit: this.pick(UNITS), contractor: i % 9 === 4, hireDate: new Date(Date.UTC(2015 + (i % 10), i % 12, 1 + (i % 27))).toISOString() },
      meta: { resourceType: 'User', created: at.toISOString(), lastModified: at.toISOString(), location: '', version: `W/"${i}-1"` },
      ...over,
    };
    this.byId.set(u.id, u);
    this.locate(u);
    return u;
  }

  /** Changes a user as an admin would in the console: meta.lastModified becomes now. */
  update(id: string, change: (u: ScimUser) => void, at = new Date()): ScimUser {
    const u = this.byId.get(id);
    if (!u) throw new Error(`no user ${id}`);
    change(u);
    u.meta.lastModified = at.toISOString();
    const v = Number(/-(\d+)"$/.exec(u.meta.version)?.[1] ?? 1) + 1;
    u.meta.version = u.meta.version.replace(/-\d+"$/, `-${v}"`);
    this.locate(u);
    return u;
  }

  /** A deleted user is gone from every read (SCIM has no tombstones: only a full read notices it). */
  delete(id: string): boolean {
    return this.byId.delete(id);
  }

  managerOf(id: string): ScimUser | undefined {
    const m = this.byId.get(id)?.[ENTERPRISE_USER]?.manager;
    return m ? this.byId.get(m.value) : undefined;
  }
}
