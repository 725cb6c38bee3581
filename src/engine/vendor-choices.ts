import type { AppContext } from '../app-context.ts';
import type { VendorChoice } from '../kit/vendor-choices.ts';
import { connectorEnv, openConnection } from './connections.ts';
import { ConnectorErrors } from './errors.ts';

/** At most this many values are returned (a form offers a choice, not a data dump). */
export const MAX_CHOICES = 2000;

/**
 * A list of values a connector reads from its vendor for a settings field (kit/vendor-choices.ts), through the
 * saved connection of the account (its credentials sign the calls; the account is checked by openConnection).
 * @example await loadVendorChoices(ctx, accountId, 7, 'contact-column-values', { field: 'LeadSource' })
 */
export async function loadVendorChoices(ctx: AppContext, accountId: number, connectionId: number, list: string, query: Record<string, string>): Promise<{ choices: VendorChoice[]; truncated: boolean }> {
  const { connector, settings } = await openConnection(ctx, accountId, connectionId);
  const def = Object.hasOwn(connector.choices ?? {}, list) ? connector.choices![list] : undefined;
  if (!def) throw ConnectorErrors.NO_SUCH_CHOICES.create({ detail: `"${list.slice(0, 60)}"`, field: 'list' });
  let params: Record<string, string> = {};
  if (def.params) {
    const parsed = def.params.safeParse(query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw ConnectorErrors.BAD_CHOICES_PARAMS.create({ detail: `${issue.path.join('.') || 'params'}: ${issue.message}`, field: String(issue.path[0] ?? 'params') });
    }
    params = parsed.data;
  }
  const env = connectorEnv(ctx, accountId, connectionId, connector.http ? { connector, settings: settings as Record<string, unknown> } : undefined);
  const all = await def.load(settings, env, params);
  return { choices: all.slice(0, MAX_CHOICES), truncated: all.length > MAX_CHOICES };
}
