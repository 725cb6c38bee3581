import type { ConnectorEnv } from '../../kit/define-connector.ts';
import { resolveOutboundTarget } from '../../kit/outbound-targets.ts';
import { isPermissionDenied } from './graph-errors.ts';
import type { EntraSettings } from './settings.ts';

/**
 * Signs in with the app registration and lists one user (GET /users?$top=1, what the import needs:
 * https://learn.microsoft.com/graph/api/user-list). Wrong credentials throw the auth kind's error (the
 * connection is not saved); a missing permission is a failed test that says which one to grant.
 */
export async function testEntraConnection(s: EntraSettings, env: ConnectorEnv): Promise<{ ok: boolean; message: string }> {
  // Addresses other than Microsoft's are typed by an account's admin: loopback and private networks only
  // where the operator allows them (LMC_OUTBOUND_ALLOW_PRIVATE), like every connection's server.
  for (const [label, u] of [['Microsoft Graph address', s.graphBaseUrl], ['Sign-in address', s.loginBaseUrl]] as const) {
    if (!u) continue;
    const host = new URL(u).hostname.replace(/^\[|\]$/g, '');
    const t = await resolveOutboundTarget(host, env.drops.outboundAllowPrivate);
    if (!t.ok) return { ok: false, message: t.reason === 'unresolvable' ? `${label}: the host ${host} cannot be resolved.` : `${label}: ${host} is on a private or local network, which this server does not allow connections to reach.` };
  }
  try {
    await env.http().get('/users', { query: { $top: 1, $select: 'id' } });
    return { ok: true, message: `Signed in to tenant ${s.tenantId} and Microsoft Graph lists its users.` };
  } catch (e) {
    if (isPermissionDenied(e)) {
      return {
        ok: false,
        message:
          "Signed in, but Microsoft Graph refused to list the tenant's users: in the Microsoft Entra admin center, give the app registration the Microsoft Graph application permission User.Read.All and grant admin consent.",
      };
    }
    throw e;
  }
}
