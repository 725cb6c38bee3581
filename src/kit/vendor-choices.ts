import type { z } from 'zod';
import type { ConnectorEnv } from './define-connector.ts';

/** One value a field may take, as the vendor holds it: what is saved, what the admin reads, how many records hold it. */
export interface VendorChoice {
  value: string;
  label?: string;
  /** Records holding the value (shown beside it, e.g. "Gold (1,204)"). */
  count?: number;
}

/**
 * A list of values read from the vendor for a settings field (e.g. the columns of Salesforce Contacts, then
 * the values one column holds in the org). The settings schema names the list on the field with
 * `choicesFrom()`; the form asks `GET /api/v1/connections/{id}/choices/{list}` with the params it reads from
 * the field's siblings, and offers the answer. The connection's saved credentials sign the calls (env.http()).
 */
export interface VendorChoices<S = any> {
  /** What the list's params must be (query-string text, so strings); checked before `load` runs. */
  params?: z.ZodType<Record<string, string>>;
  load(settings: S, env: ConnectorEnv, params: Record<string, string>): Promise<VendorChoice[]>;
}

/** What `choicesFrom()` puts in a field's JSON schema (`choicesFrom` beside `title` and `description`). */
export interface ChoicesFromMeta {
  /** The connector's list (a key of its `choices`). */
  list: string;
  /** List param -> name of a sibling field in the same settings object whose current value it takes. */
  params?: Record<string, string>;
  /** A list field (array of strings): the admin picks several values. */
  many?: boolean;
}

/**
 * The metadata that makes a settings field offer the values of a vendor list, for `.meta({ ... })`.
 * @example field: z.string().meta({ title: 'Contacts column', ...choicesFrom('contact-columns') }),
 *          values: z.array(z.string()).meta({ title: 'Values', ...choicesFrom('contact-column-values', { field: 'field' }, { many: true }) }),
 */
export function choicesFrom(list: string, params?: Record<string, string>, o: { many?: boolean } = {}): { choicesFrom: ChoicesFromMeta } {
  return { choicesFrom: { list, ...(params ? { params } : {}), ...(o.many ? { many: true } : {}) } };
}
