/**
 * The simulated directory: a seeded, deterministic set of users (same seed and count, same users) with
 * manager links forming a tree, and the change log the delta query reads.
 * Shape of a user: https://learn.microsoft.com/graph/api/resources/user (properties as in metadata.ts).
 * Deletion: https://learn.microsoft.com/graph/api/user-delta — a deleted user shows in delta as
 * `@removed: { reason: 'changed' }` (soft-deleted, restorable for 30 days) or 'deleted' (permanently).
 */
import { EXTENSION_ATTRIBUTES } from './metadata.ts';
import { mulberry32 as rng } from '../../src/platform/seed/prng.ts';

export interface GraphUser {
  id: string;
  displayName: string;
  givenName: string;
  surname: string;
  mail: string;
  userPrincipalName: string;
  jobTitle: string | null;
  department: string | null;
  employeeId: string | null;
  officeLocation: string | null;
  accountEnabled: boolean;
  createdDateTime: string;
  onPremisesExtensionAttributes: Record<string, string | null>;
}

interface Entry {
  user: GraphUser;
  managerId?: string;
  /** Change sequence of the last create/update (delta returns entries with seq > the token's). */
  seq: number;
  /** The properties updates changed ('manager' for the manager link); undefined for a user never updated. */
  changed?: Set<string>;
}

export interface Removal {
  id: string;
  reason: 'changed' | 'deleted';
  seq: number;
}


const GIVEN = ['Ada', 'Bruno', 'Chloé', 'Dmitri', 'Elif', 'Farah', 'Goran', 'Hana', 'Ivo', 'Jun', 'Kemal', 'Lena', 'Mateo', 'Nia', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tariq', 'Uma', 'Viktor', 'Wen', 'Yara', 'Zoë'];
const SUR = ['Andersen', 'Bauer', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'García', 'Haddad', 'Ivanova', 'Jansen', 'Kowalski', 'López', 'Müller', 'Nakamura', 'Okafor', 'Petrov', 'Rossi', 'Silva', 'Tanaka', 'Varga', 'Weber', 'Yilmaz', 'Zhang'];
const DEPTS = ['Sales', 'Engineering', 'Finance', 'Human Resources', 'Operations', 'Legal', 'Marketing'];
const TITLES = ['Analyst', 'Engineer', 'Manager', 'Specialist', 'Consultant', 'Coordinator', 'Director'];
const OFFICES = ['Berlin', 'Lisbon', 'Osaka', 'Toronto', 'Nairobi', 'Remote'];

export interface StoreOptions {
  users?: number;
  seed?: number;
  domain?: string;
}

export class UserStore {
  private readonly entries = new Map<string, Entry>();
  readonly removals: Removal[] = [];
  /** The last change's sequence number (a delta token remembers it). */
  seq = 0;
  private readonly random: () => number;
  private made = 0;
  readonly domain: string;
  /** all()'s answer until the next change (a 100,000-user directory is paged 999 at a time). */
  private snapshot?: GraphUser[];

  constructor(o: StoreOptions = {}) {
    this.random = rng(o.seed ?? 42);
    this.domain = o.domain ?? 'contoso.test';
    const n = o.users ?? 100;
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      // A tree: user 0 is the root; each other user reports to one made before it (about 8 reports each).
      ids.push(this.add({}, i === 0 ? undefined : ids[Math.floor((i - 1) / 8)]).id);
    }
  }

  private guid(): string {
    const h = Array.from({ length: 32 }, () => Math.floor(this.random() * 16).toString(16)).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[Math.floor(this.random() * 4)]}${h.slice(17, 20)}-${h.slice(20)}`;
  }

  private pick<T>(xs: T[]): T {
    return xs[Math.floor(this.random() * xs.length)];
  }

  /** A new user (generated fields unless given); a delta after this returns it. */
  add(fields: Partial<GraphUser> = {}, managerId?: string): GraphUser {
    const k = ++this.made;
    const givenName = fields.givenName ?? this.pick(GIVEN);
    const surname = fields.surname ?? this.pick(SUR);
    const login = `${givenName}.${surname}${k}`.normalize('NFD').replace(/[^\w.]/g, '').toLowerCase();
    const ext = Object.fromEntries(EXTENSION_ATTRIBUTES.map((n, i) => [n, i === 0 ? `CC-${100 + (k % 40)}` : i === 1 ? this.pick(['FT', 'PT', 'CT']) : null]));
    const user: GraphUser = {
      id: this.guid(),
      displayName: `${givenName} ${surname}`,
      givenName,
      surname,
      mail: `${login}@${this.domain}`,
      userPrincipalName: `${login}@${this.domain}`,
      jobTitle: this.pick(TITLES),
      department: this.pick(DEPTS),
      employeeId: String(100000 + k),
      officeLocation: this.pick(OFFICES),
      // About one in twenty accounts is disabled (leavers not yet deleted).
      accountEnabled: this.random() >= 0.05,
      createdDateTime: new Date(Date.UTC(2020, 0, 1) + k * 3600_000).toISOString().replace('.000', ''),
      onPremisesExtensionAttributes: ext,
      ...fields,
    };
    this.entries.set(user.id, { user, managerId, seq: ++this.seq });
    this.snapshot = undefined;
    return user;
  }

  /** Changes fields (and the manager when `managerId` is given; null removes it). */
  update(id: string, fields: Partial<Omit<GraphUser, 'id'>>, managerId?: string | null): GraphUser {
    const e = this.entries.get(id);
    if (!e) throw new Error(`no user ${id}`);
    e.user = { ...e.user, ...fields };
    if (managerId !== undefined) e.managerId = managerId ?? undefined;
    e.changed = new Set([...(e.changed ?? []), ...Object.keys(fields), ...(managerId !== undefined ? ['manager'] : [])]);
    e.seq = ++this.seq;
    this.snapshot = undefined;
    return e.user;
  }

  /** Deletes a user: soft (delta reason 'changed', the default) or permanent ('deleted'). */
  delete(id: string, permanent = false): void {
    if (!this.entries.delete(id)) throw new Error(`no user ${id}`);
    this.snapshot = undefined;
    this.removals.push({ id, reason: permanent ? 'deleted' : 'changed', seq: ++this.seq });
  }

  get(id: string): GraphUser | undefined {
    return this.entries.get(id)?.user;
  }

  /** What updates of this user changed (undefined: never updated, e.g. created after a delta token). */
  changedProperties(id: string): ReadonlySet<string> | undefined {
    return this.entries.get(id)?.changed;
  }

  managerOf(id: string): GraphUser | undefined {
    const m = this.entries.get(id)?.managerId;
    return m ? this.entries.get(m)?.user : undefined;
  }

  /** Every user, in a stable order (creation). Kept until the next change: callers must not modify it. */
  all(): readonly GraphUser[] {
    return (this.snapshot ??= [...this.entries.values()].map((e) => e.user));
  }

  get size(): number {
    return this.entries.size;
  }

  /** Users created or updated after `since`, and removals after it. */
  changedSince(since: number): { users: GraphUser[]; removed: Removal[] } {
    return {
      users: [...this.entries.values()].filter((e) => e.seq > since).map((e) => e.user),
      removed: this.removals.filter((r) => r.seq > since),
    };
  }
}
