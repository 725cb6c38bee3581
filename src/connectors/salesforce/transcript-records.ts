import crypto from 'node:crypto';
import type { DescribeField, DescribeResult } from './client.ts';
import { SalesforceErrors } from './errors.ts';

/**
 * Learner Transcript column -> field of the custom object, as the spec's package creates them (admins may
 * rename fields: the action's `fields` option overrides any of these, or drops one with null). The
 * learning-path columns (Type, Embedded Path, Embedded Path ID, Embedded Course ID) are the spec's
 * "Learning Path-related changes".
 */
export const DEFAULT_TRANSCRIPT_FIELDS: Record<string, string> = {
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
};

/**
 * The key of a transcript row in Salesforce (its external id): one enrollment is one learner in one instance of
 * a training, reached alone or through one learning path. Stable across runs, so a re-run updates, never duplicates.
 */
export function externalIdOf(accountId: number, row: Record<string, string>): string {
  const h = crypto.createHash('sha256').update([row['Instance'] ?? '', row['Embedded Path ID'] ?? ''].join('\u0000')).digest('base64url').slice(0, 12);
  return `lmc-${accountId}-${row['User ID']}-${row['LO ID']}-${h}`;
}

export type FieldPlan = Array<{ column: string; field: DescribeField }>;

/** What the export writes, checked against the object's describe: every named field must exist. */
export function planFields(d: DescribeResult, o: { externalIdField: string; linkField: string; fields: Record<string, string | null> }): { plan: FieldPlan; ext: DescribeField; link: DescribeField; name?: DescribeField } {
  const byName = new Map(d.fields.map((f) => [f.name.toLowerCase(), f]));
  const need = (name: string, what: string) => {
    const f = byName.get(name.toLowerCase());
    if (!f) throw SalesforceErrors.NO_SUCH_FIELD.create({ detail: `${d.name}.${name} (${what})`, field: what });
    return f;
  };
  const ext = need(o.externalIdField, 'externalIdField');
  if (!ext.externalId) throw SalesforceErrors.NOT_AN_EXTERNAL_ID.create({ detail: `${d.name}.${ext.name}`, field: 'externalIdField' });
  const link = need(o.linkField, 'linkField');
  const merged = { ...DEFAULT_TRANSCRIPT_FIELDS, ...o.fields };
  const plan: FieldPlan = [];
  for (const [column, name] of Object.entries(merged)) if (name) plan.push({ column, field: need(name, `fields.${column}`) });
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
