/**
 * The simulated org's data: records per sObject, their system stamps, the deleted-records log that
 * getDeleted reads, and the save rules of the composite and Bulk APIs (required fields, types, lengths,
 * references, unique external ids, an org's validation rules).
 * Save errors (statusCode values): https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm#statuscode
 */
import { recordId } from './ids.ts';
import { CONTACT, USER, learningRecordObject, skillReportObject, userReportObject, type FieldDef, type ObjectDef } from './schema.ts';
import { mulberry32 as rng } from '../../src/platform/seed/prng.ts';

export type SfValue = string | number | boolean | null;
export type SfRecord = Record<string, SfValue>;

export interface SaveError {
  statusCode: string;
  message: string;
  fields: string[];
}

export interface SaveResult {
  id: string | null;
  success: boolean;
  created?: boolean;
  errors: SaveError[];
}

/** Salesforce's datetime format in answers: 2024-05-01T10:00:00.000+0000. */
export const sfDateTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');


const GIVEN = ['Ada', 'Bruno', 'Chloé', 'Dmitri', 'Elif', 'Farah', 'Goran', 'Hana', 'Ivo', 'Jun', 'Kemal', 'Lena', 'Mateo', 'Nia', 'Omar', 'Priya'];
const SUR = ['Andersen', 'Bauer', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'García', 'Haddad', 'Ivanova', 'Jansen', 'Kowalski', 'López'];
const DEPTS = ['Sales', 'Engineering', 'Finance', 'Operations', 'Marketing'];
const LEVELS = ['Gold', 'Silver', 'Bronze'];
const SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];

export interface StoreOptions {
  /** Seeded Users (the first is the admin whose user name the JWT bearer flow signs in as). */
  users?: number;
  /** Seeded Contacts (each 10th one reports to nobody, the others to an earlier contact). */
  contacts?: number;
  seed?: number;
  domain?: string;
  /** Extra custom objects besides Learning_Transcript__c. */
  objects?: ObjectDef[];
}

/** An org validation rule: a message makes the save fail with FIELD_CUSTOM_VALIDATION_EXCEPTION. */
export type ValidationRule = (record: SfRecord) => { message: string; field?: string } | undefined;

export class OrgStore {
  readonly objects = new Map<string, ObjectDef>();
  readonly records = new Map<string, Map<string, SfRecord>>();
  /** Deleted ids per object with their deletion time (getDeleted keeps 15 days in orgs; the sim keeps all). */
  readonly deleted = new Map<string, Array<{ id: string; deletedDate: number }>>();
  readonly rules = new Map<string, ValidationRule[]>();
  private seq = 0;
  private lastStamp = 0;
  /** object name -> field name -> lower-case value -> ids; built on first use, kept up to date by every write. */
  private readonly indexes = new Map<string, Map<string, Map<string, Set<string>>>>();
  readonly domain: string;
  /** The admin user the JWT bearer flow may sign in as. */
  adminUsername = '';

  constructor(o: StoreOptions = {}) {
    this.domain = o.domain ?? 'example.com';
    for (const def of [USER, CONTACT, learningRecordObject(), userReportObject(), skillReportObject(), ...(o.objects ?? [])]) this.define(def);
    this.seed(o);
  }

  define(def: ObjectDef): void {
    this.objects.set(def.name.toLowerCase(), def);
    if (!this.records.has(def.name)) this.records.set(def.name, new Map());
    if (!this.deleted.has(def.name)) this.deleted.set(def.name, []);
  }

  object(name: string): ObjectDef | undefined {
    return this.objects.get(name.toLowerCase());
  }

  field(o: ObjectDef, name: string): FieldDef | undefined {
    const n = name.toLowerCase();
    return o.fields.find((f) => f.name.toLowerCase() === n);
  }

  /** A strictly increasing stamp: two saves never share a SystemModstamp (incremental reads use `>`). */
  stamp(): number {
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    return this.lastStamp;
  }

  all(object: string): SfRecord[] {
    return [...(this.records.get(this.object(object)!.name)?.values() ?? [])];
  }

  get(object: string, id: string): SfRecord | undefined {
    const o = this.object(object);
    return o ? this.records.get(o.name)?.get(id) : undefined;
  }

  /** Ids of the records whose field equals `value` (case-insensitive), through an index kept by the writes. */
  findBy(object: string, field: string, value: string | number | boolean): SfRecord[] {
    const o = this.object(object)!;
    let byField = this.indexes.get(o.name);
    if (!byField) this.indexes.set(o.name, (byField = new Map()));
    let idx = byField.get(field);
    if (!idx) {
      idx = new Map();
      byField.set(field, idx);
      for (const r of this.records.get(o.name)!.values()) this.indexAdd(idx, r[field], r.Id as string);
    }
    const recs = this.records.get(o.name)!;
    return [...(idx.get(String(value).toLowerCase()) ?? [])].map((id) => recs.get(id)!).filter(Boolean);
  }

  private indexAdd(idx: Map<string, Set<string>>, v: SfValue | undefined, id: string): void {
    if (v === null || v === undefined) return;
    const k = String(v).toLowerCase();
    let set = idx.get(k);
    if (!set) idx.set(k, (set = new Set()));
    set.add(id);
  }

  private reindex(object: string, before: SfRecord | undefined, after: SfRecord | undefined): void {
    const byField = this.indexes.get(object);
    if (!byField) return;
    for (const [field, idx] of byField) {
      if (before && before[field] !== null && before[field] !== undefined) idx.get(String(before[field]).toLowerCase())?.delete(before.Id as string);
      if (after) this.indexAdd(idx, after[field], after.Id as string);
    }
  }

  /** Finds a record by id in any object (references may point to several). */
  byId(id: string): { object: ObjectDef; record: SfRecord } | undefined {
    for (const o of this.objects.values()) {
      const r = this.records.get(o.name)?.get(id);
      if (r) return { object: o, record: r };
    }
    return undefined;
  }

  private nameOf(o: ObjectDef, r: SfRecord): SfValue {
    if (o.name === 'User' || o.name === 'Contact') return [r.FirstName, r.LastName].filter(Boolean).join(' ');
    return r.Name ?? null;
  }

  /** Inserts without checks (seeding and tests); returns the record. */
  insert(object: string, values: SfRecord): SfRecord {
    const o = this.object(object)!;
    const now = this.stamp();
    const id = recordId(o.keyPrefix, ++this.seq);
    const rec: SfRecord = {};
    for (const f of o.fields) rec[f.name] = f.type === 'boolean' ? false : null;
    Object.assign(rec, values, { Id: id, IsDeleted: false, CreatedDate: sfDateTime(now), LastModifiedDate: sfDateTime(now), SystemModstamp: sfDateTime(now) });
    if (o.fields.some((f) => f.name === 'Name' && f.system)) rec.Name = this.nameOf(o, rec);
    this.records.get(o.name)!.set(id, rec);
    this.reindex(o.name, undefined, rec);
    return rec;
  }

  /** Changes fields of a record (tests: "someone edited the contact"), moving its SystemModstamp. */
  update(object: string, id: string, values: SfRecord): SfRecord {
    const o = this.object(object)!;
    const rec = this.records.get(o.name)!.get(id);
    if (!rec) throw new Error(`no ${object} ${id}`);
    const now = this.stamp();
    this.reindex(o.name, { ...rec }, undefined);
    Object.assign(rec, values, { LastModifiedDate: sfDateTime(now), SystemModstamp: sfDateTime(now) });
    if (o.fields.some((f) => f.name === 'Name' && f.system)) rec.Name = this.nameOf(o, rec);
    this.reindex(o.name, undefined, rec);
    return rec;
  }

  /** Deletes a record (to the recycle bin): getDeleted reports it from now on. */
  remove(object: string, id: string): void {
    const o = this.object(object)!;
    const rec = this.records.get(o.name)!.get(id);
    if (!rec) throw new Error(`no ${object} ${id}`);
    this.reindex(o.name, rec, undefined);
    this.records.get(o.name)!.delete(id);
    this.deleted.get(o.name)!.push({ id, deletedDate: this.stamp() });
  }

  /** Puts back the records of an object as they were (an allOrNone save that failed); its indexes are rebuilt on use. */
  restore(object: string, records: Map<string, SfRecord>): void {
    this.records.set(object, records);
    this.indexes.delete(object);
  }

  addRule(object: string, rule: ValidationRule): void {
    const name = this.object(object)!.name;
    this.rules.set(name, [...(this.rules.get(name) ?? []), rule]);
  }

  private seed(o: StoreOptions): void {
    const rand = rng(o.seed ?? 7);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    const users: SfRecord[] = [];
    for (let i = 0; i < (o.users ?? 25); i++) {
      const first = pick(GIVEN);
      const last = pick(SUR);
      const email = `${first.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}.${last.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}.${i}@${this.domain}`;
      const manager = i === 0 ? null : users[Math.floor(rand() * Math.min(i, 5))];
      users.push(this.insert('User', { Username: email, Email: email, FirstName: first, LastName: last, IsActive: true, Title: i === 0 ? 'CEO' : 'Associate', Department: pick(DEPTS), EmployeeNumber: `E${1000 + i}`, ManagerId: manager ? (manager.Id as string) : null }));
    }
    this.adminUsername = (users[0]?.Username as string) ?? '';
    const contacts: SfRecord[] = [];
    for (let i = 0; i < (o.contacts ?? 40); i++) {
      const first = pick(GIVEN);
      const last = pick(SUR);
      const boss = i % 10 === 0 ? null : contacts[Math.floor(i / 10) * 10];
      contacts.push(
        this.insert('Contact', {
          FirstName: first,
          LastName: last,
          Email: `${first.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}.${i}@partner.${this.domain}`,
          Title: 'Partner rep',
          Department: pick(DEPTS),
          LeadSource: pick(SOURCES),
          Partner_Level__c: LEVELS[i % 3],
          Region__c: i % 2 ? 'EMEA' : 'AMER',
          ReportsToId: boss ? (boss.Id as string) : null,
        }),
      );
    }
  }

  /**
   * Saves one record as the composite and Bulk APIs do (all fields checked, then the org's rules): an insert,
   * or with `externalIdField` an upsert matched on that field (created tells which).
   */
  save(object: string, input: Record<string, unknown>, externalIdField?: string, mode: { dryRun?: boolean } = {}): SaveResult {
    const o = this.object(object)!;
    const errors: SaveError[] = [];
    const values: SfRecord = {};
    for (const [k, raw] of Object.entries(input)) {
      if (k === 'attributes') continue;
      const f = this.field(o, k);
      if (!f) {
        errors.push({ statusCode: 'INVALID_FIELD', message: `No such column '${k}' on sobject of type ${o.name}`, fields: [k] });
        continue;
      }
      if (f.system && f.name !== 'Id') {
        errors.push({ statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', message: `Unable to create/update fields: ${f.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, fields: [f.name] });
        continue;
      }
      const v = coerce(f, raw);
      if ('error' in v) errors.push({ ...v.error, fields: [f.name] });
      else values[f.name] = v.value;
    }
    for (const [k, v] of Object.entries(values)) {
      const f = this.field(o, k)!;
      if (f.type === 'reference' && v !== null) {
        const target = this.byId(String(v));
        if (!target || !(f.referenceTo ?? []).includes(target.object.name)) errors.push({ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: `invalid cross reference id`, fields: [f.name] });
      }
    }
    if (errors.length) return { id: null, success: false, errors };
    let existing: SfRecord | undefined;
    if (externalIdField) {
      const key = values[this.field(o, externalIdField)?.name ?? externalIdField];
      if (key === undefined || key === null || key === '') return { id: null, success: false, errors: [{ statusCode: 'MISSING_ARGUMENT', message: `${externalIdField} not specified`, fields: [] }] };
      const matches = this.findBy(o.name, this.field(o, externalIdField)!.name, key).filter((r) => r[this.field(o, externalIdField)!.name] === key);
      if (matches.length > 1) return { id: null, success: false, errors: [{ statusCode: 'DUPLICATE_EXTERNAL_ID', message: `${externalIdField}: more than one record found for external id field: [${matches.map((m) => m.Id).join(', ')}]`, fields: [externalIdField] }] };
      existing = matches[0];
    }
    const merged = { ...(existing ?? {}), ...values };
    for (const f of o.fields) {
      if (f.required && !existing && (merged[f.name] === undefined || merged[f.name] === null || merged[f.name] === '')) errors.push({ statusCode: 'REQUIRED_FIELD_MISSING', message: `Required fields are missing: [${f.name}]`, fields: [f.name] });
    }
    for (const rule of this.rules.get(o.name) ?? []) {
      const r = rule(merged);
      if (r) errors.push({ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: r.message, fields: r.field ? [r.field] : [] });
    }
    if (errors.length) return { id: null, success: false, errors };
    if (mode.dryRun) return { id: existing ? (existing.Id as string) : recordId(this.object(object)!.keyPrefix, 0), success: true, created: !existing, errors: [] };
    if (existing) {
      this.update(o.name, existing.Id as string, values);
      return { id: existing.Id as string, success: true, created: false, errors: [] };
    }
    const rec = this.insert(o.name, values);
    return { id: rec.Id as string, success: true, created: true, errors: [] };
  }
}

/** A value written to a field, as Salesforce checks it (types, lengths, e-mail syntax). */
function coerce(f: FieldDef, raw: unknown): { value: SfValue } | { error: { statusCode: string; message: string } } {
  if (raw === null || raw === undefined || raw === '' || raw === '#N/A') return { value: null };
  const s = String(raw);
  switch (f.type) {
    case 'boolean':
      if (typeof raw === 'boolean') return { value: raw };
      if (/^(true|false)$/i.test(s)) return { value: s.toLowerCase() === 'true' };
      return { error: { statusCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD', message: `${f.label}: value not of required type: ${s}` } };
    case 'double': {
      const n = Number(s);
      return Number.isFinite(n) ? { value: n } : { error: { statusCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD', message: `${f.label}: value not of required type: ${s}` } };
    }
    case 'datetime':
    case 'date':
      return Number.isNaN(Date.parse(s)) ? { error: { statusCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD', message: `${f.label}: value not of required type: ${s}` } } : { value: f.type === 'date' ? s.slice(0, 10) : sfDateTime(Date.parse(s)) };
    case 'email':
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s)) return { error: { statusCode: 'INVALID_EMAIL_ADDRESS', message: `${f.label}: invalid email address: ${s}` } };
      break;
    default:
      break;
  }
  if (f.length && s.length > f.length) return { error: { statusCode: 'STRING_TOO_LONG', message: `${f.label}: data value too large: ${s.slice(0, 40)} (max length=${f.length})` } };
  return { value: s };
}
