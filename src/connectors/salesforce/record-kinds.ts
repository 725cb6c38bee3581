import crypto from 'node:crypto';
import type { ReportName } from '../../kit/run-context.ts';
import type { DescribeField, DescribeResult } from './client.ts';
import { SalesforceErrors } from './errors.ts';

/**
 * One kind of learning record an export writes into a custom object of its own (the spec: "transcript, user
 * report, skill report"; up to three objects per connection): the platform report it reads, the default
 * column -> field names of the spec's packages (admins may rename fields: the `fields` option overrides any,
 * or drops one with null), the record's key and Name, and how the error report names the record.
 */
export interface RecordKind {
  id: 'transcript' | 'userReport' | 'skillReport';
  /** What the run log and error report call it. */
  label: string;
  report: ReportName;
  defaultObject: string;
  defaults: Record<string, string>;
  /** The external id: stable across runs, so a re-run updates and never duplicates. */
  key(accountId: number, row: Record<string, string>): string;
  /** The record's Name (80 characters at most). */
  name(row: Record<string, string>): string;
  /** The learner and the record, for the error report. */
  about(row: Record<string, string>): string;
}

const hash = (...parts: string[]) => crypto.createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 12);

/**
 * Learner Transcript. The learning-path columns (Type, Embedded Path, Embedded Path ID, Embedded Course ID) are
 * the spec's "Learning Path-related changes". One enrollment is one learner in one instance of a training,
 * reached alone or through one learning path.
 */
export const TRANSCRIPT: RecordKind = {
  id: 'transcript',
  label: 'Learner Transcript',
  report: 'learner-transcript',
  defaultObject: 'Learning_Transcript__c',
  defaults: {
    Email: 'Learner_Email__c',
    'Training Name': 'Training_Name__c',
    'LO ID': 'LO_ID__c',
    Type: 'Type__c',
    Instance: 'Instance__c',
    'Embedded Path': 'Embedded_Path__c',
    'Embedded Path ID': 'Embedded_Path_ID__c',
    'Embedded Course ID': 'Embedded_Course_ID__c',
    Status: 'Status__c',
    'Progress (%)': 'Progress__c',
    Score: 'Score__c',
    'Time Spent (seconds)': 'Time_Spent__c',
    'Enrollment Date': 'Enrollment_Date__c',
    'Start Date': 'Start_Date__c',
    'Completion Date': 'Completion_Date__c',
    'Unenrollment Date': 'Unenrollment_Date__c',
    Skills: 'Skills__c',
  },
  key: (accountId, row) => `lmc-${accountId}-${row['User ID']}-${row['LO ID']}-${hash(row['Instance'] ?? '', row['Embedded Path ID'] ?? '')}`,
  name: (row) => `${row['Name'] ?? ''} - ${row['Training Name'] ?? ''}`,
  about: (row) => `learner ${row['Email']}, training ${row['LO ID']} "${row['Training Name']}"`,
};

/** User report: one record per user of the account (a snapshot: every run upserts every user). */
export const USER_REPORT: RecordKind = {
  id: 'userReport',
  label: 'User Report',
  report: 'users',
  defaultObject: 'Learning_User_Report__c',
  defaults: {
    Email: 'Learner_Email__c',
    Name: 'Learner_Name__c',
    'User Type': 'User_Type__c',
    'User State': 'User_State__c',
    'Manager Email': 'Manager_Email__c',
    Roles: 'Roles__c',
  },
  key: (accountId, row) => `lmc-${accountId}-user-${row['User ID']}`,
  name: (row) => row['Name'] || row['Email'] || '',
  about: (row) => `learner ${row['Email']}`,
};

/** Skill report: one record per skill level a learner achieved in the run's window (retired skills left out). */
export const SKILL_REPORT: RecordKind = {
  id: 'skillReport',
  label: 'Skill Report',
  report: 'user-skills',
  defaultObject: 'Learning_Skill_Report__c',
  defaults: {
    Email: 'Learner_Email__c',
    Skill: 'Skill__c',
    'Skill Level': 'Skill_Level__c',
    'Level Name': 'Level_Name__c',
    Credits: 'Credits__c',
    'Max Credits': 'Max_Credits__c',
    'Date Achieved': 'Date_Achieved__c',
    'Training LO ID': 'Training_LO_ID__c',
    'Training Name': 'Training_Name__c',
  },
  key: (accountId, row) => `lmc-${accountId}-skill-${row['User ID']}-${hash(row['Skill'] ?? '', row['Skill Level'] ?? '')}`,
  name: (row) => `${row['Name'] ?? ''} - ${row['Skill'] ?? ''} ${row['Skill Level'] ?? ''}`.trim(),
  about: (row) => `learner ${row['Email']}, skill "${row['Skill']}" level ${row['Skill Level']}`,
};

/** The transcript's key (kept for callers of the transcript alone). */
export const externalIdOf = TRANSCRIPT.key;
export const DEFAULT_TRANSCRIPT_FIELDS = TRANSCRIPT.defaults;

export type FieldPlan = Array<{ column: string; field: DescribeField }>;

/** What an export writes, checked against the object's describe: every named field must exist. */
export function planFields(
  d: DescribeResult,
  o: { externalIdField: string; linkField: string; fields: Record<string, string | null>; defaults?: Record<string, string>; option?: string },
): { plan: FieldPlan; ext: DescribeField; link: DescribeField; name?: DescribeField } {
  const at = (f: string) => (o.option ? `${o.option}.${f}` : f);
  const byName = new Map(d.fields.map((f) => [f.name.toLowerCase(), f]));
  const need = (name: string, what: string) => {
    const f = byName.get(name.toLowerCase());
    if (!f) throw SalesforceErrors.NO_SUCH_FIELD.create({ detail: `${d.name}.${name} (${what})`, field: what });
    return f;
  };
  const ext = need(o.externalIdField, at('externalIdField'));
  if (!ext.externalId) throw SalesforceErrors.NOT_AN_EXTERNAL_ID.create({ detail: `${d.name}.${ext.name}`, field: at('externalIdField') });
  const link = need(o.linkField, at('linkField'));
  const merged = { ...(o.defaults ?? TRANSCRIPT.defaults), ...o.fields };
  const plan: FieldPlan = [];
  for (const [column, name] of Object.entries(merged)) if (name) plan.push({ column, field: need(name, at(`fields.${column}`)) });
  const name = byName.get('name');
  return { plan, ext, link, ...(name && (name as DescribeField & { createable?: boolean }).createable !== false ? { name } : {}) };
}

/** A report cell as the field's type wants it in JSON (numbers, booleans), null when empty. */
export function jsonValue(f: DescribeField, v: string | undefined): string | number | boolean | null {
  if (v === undefined || v === '') return null;
  if (['double', 'int', 'currency', 'percent'].includes(f.type)) return Number.isFinite(Number(v)) ? Number(v) : v;
  if (f.type === 'boolean') return v === 'true';
  return v;
}
