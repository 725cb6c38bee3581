import type { SourceField } from '../../kit/user-source.ts';
import type { DescribeField, DescribeResult } from './client.ts';
import type { UserSourceChoice } from './settings.ts';

/** The lookup to the manager: User.ManagerId (relationship Manager), Contact.ReportsToId (ReportsTo; a Contact has no ManagerId). */
export const MANAGER_LOOKUP: Record<UserSourceChoice['object'], { idField: string; emailPath: string; label: string }> = {
  User: { idField: 'ManagerId', emailPath: 'Manager.Email', label: "Manager's Email" },
  Contact: { idField: 'ReportsToId', emailPath: 'ReportsTo.Email', label: "Reports To's Email" },
};

const TYPES: Record<string, SourceField['type']> = { email: 'email', boolean: 'boolean', double: 'number', int: 'number', currency: 'number', percent: 'number', date: 'date', datetime: 'date' };
/** Field types whose values are text an import can take (not addresses, blobs, or lookups by id). */
const READABLE = new Set(['id', 'string', 'email', 'boolean', 'double', 'int', 'currency', 'percent', 'date', 'datetime', 'picklist', 'phone', 'url', 'textarea', 'reference']);

/**
 * The mapping page's list of a Users or Contacts object: its readable fields from describe (custom ones
 * included, labelled as Salesforce shows them) and the manager's e-mail through the lookup (an email field,
 * as the mapping's manager column requires).
 */
export function sourceFieldsOf(d: DescribeResult, object: UserSourceChoice['object']): SourceField[] {
  const out: SourceField[] = d.fields
    .filter((f: DescribeField) => READABLE.has(f.type) && f.type !== 'textarea')
    .map((f) => ({ name: f.name, label: f.custom ? `${f.label} (custom)` : f.label, type: TYPES[f.type] ?? 'string' }));
  const m = MANAGER_LOOKUP[object];
  out.push({ name: m.emailPath, label: m.label, type: 'email', description: `the e-mail of the ${object === 'User' ? 'manager' : 'contact this one reports to'}` });
  return out;
}
