import type { AppContext } from '../../app-context.ts';
import { connectorEnv, openConnection } from '../../engine/connections.ts';
import type { SourceField } from '../../kit/user-source.ts';
import { CommonErrors } from '../../shared/errors.ts';

/**
 * The user fields a connection's vendor offers to the mapping page (the `users` capability's fields(), e.g.
 * Graph's user properties from $metadata): what the admin maps the platform's columns to, instead of a
 * template CSV. A connector without a user source has none (a file drop maps CSV columns).
 * @example (await listSourceFields(ctx, accountId, 7)).fields.map((f) => f.name)
 */
export async function listSourceFields(ctx: AppContext, accountId: number, connectionId: number): Promise<{ source: string; fields: Array<SourceField & { label: string }> }> {
  const { connector, settings } = await openConnection(ctx, accountId, connectionId);
  if (!connector.users) throw CommonErrors.VALIDATION.create({ detail: `${connector.displayName} reads users from files: map the columns of a template CSV instead`, field: 'connectionId' });
  const env = connectorEnv(ctx, accountId, connectionId, connector.http ? { connector, settings } : undefined);
  const fields = await connector.users.fields(settings as never, env);
  return { source: connector.users.label, fields: fields.map((f) => ({ ...f, label: f.label ?? f.name })) };
}
