/**
 * What the settings form offers for "Yes, a subset" of Contacts, read from the org (kit/vendor-choices.ts):
 *  - contact-columns: the Contact fields an admin can choose a subset by: groupable text, picklist, e-mail and
 *    checkbox fields of describe (custom ones included), not ids or lookups;
 *  - contact-column-values: the values one of them holds in the org, most frequent first, with how many
 *    contacts hold each, through one aggregate SOQL query (GROUP BY, at most 2,000 groups: aggregate queries
 *    have no queryMore).
 * describe: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm
 * GROUP BY: https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_groupby.htm
 * COUNT() and expr0: https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_agg_functions.htm
 */
import { z } from 'zod';
import type { VendorChoice, VendorChoices } from '../../kit/vendor-choices.ts';
import { describeObject, type DescribeField } from './client.ts';
import { SalesforceErrors } from './errors.ts';
import type { SalesforceSettings } from './settings.ts';

const SUBSET_TYPES = new Set(['string', 'picklist', 'email', 'boolean', 'phone', 'url']);
const subsetColumn = (f: DescribeField & { groupable?: boolean }) => SUBSET_TYPES.has(f.type) && f.groupable !== false;

export const salesforceChoices: Record<string, VendorChoices<SalesforceSettings>> = {
  'contact-columns': {
    async load(_s, env) {
      const d = await describeObject(env.http(), 'Contact');
      return d.fields.filter(subsetColumn).map((f) => ({ value: f.name, label: f.custom ? `${f.label} (custom)` : f.label })).sort((a, b) => a.label.localeCompare(b.label));
    },
  },
  'contact-column-values': {
    params: z.object({ field: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a Contact field API name, e.g. LeadSource') }),
    async load(_s, env, { field }) {
      const http = env.http();
      const f = (await describeObject(http, 'Contact')).fields.find((x) => x.name.toLowerCase() === field.toLowerCase());
      if (!f || !subsetColumn(f)) throw SalesforceErrors.NO_SUCH_FIELD.create({ detail: `Contact.${field} is not a column contacts can be chosen by`, field: 'field' });
      const page = await http.get<{ records: Array<Record<string, unknown>> }>('/query', { query: { q: `SELECT ${f.name}, COUNT(Id) FROM Contact GROUP BY ${f.name} LIMIT 2000` } });
      const out: VendorChoice[] = [];
      for (const r of page.records) {
        const v = r[f.name];
        if (v === null || v === undefined || v === '') continue;
        out.push({ value: String(v), count: Number(r.expr0 ?? 0) });
      }
      return out.sort((a, b) => (b.count ?? 0) - (a.count ?? 0) || a.value.localeCompare(b.value));
    },
  },
};
