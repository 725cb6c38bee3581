import { z } from 'zod';
import type { Principal } from '../../../platform/api-tokens.ts';
import { ADMIN_SCOPE_ROLES } from '../../../platform/oauth/scopes.ts';
import { OAuthErrors } from '../../../platform/oauth/errors.ts';
import type { OAuthPrincipal } from '../../../platform/oauth/tokens.ts';
import { userIdByEmail } from '../../../platform/principals.ts';
import { CommonErrors } from '../../../shared/errors.ts';
import type { Api } from '../../types.ts';

export const LearnerQuery = z.object({
  learner: z.string().email().max(320).optional().describe("act for this learner of the account (by email): needs admin:read / admin:write, or an admin's session"),
});

/**
 * The learner a learner-API call is about: the caller, or with `learner=<email>` another user of the same
 * account, which needs the admin scope of the call (an app acting for many learners, as the Salesforce package
 * does) or, without OAuth, an admin's role. The auth hook already checked the token's scope for the caller.
 */
export async function learnerOf(app: Api, p: Principal, email: string | undefined, access: 'read' | 'write'): Promise<number> {
  if (!email || email.toLowerCase() === p.email.toLowerCase()) return p.userId;
  const oauth = (p as Partial<OAuthPrincipal>).oauth;
  if (oauth && !oauth.scopes.includes(`admin:${access}`)) {
    throw OAuthErrors.INSUFFICIENT_SCOPE.create({ detail: `acting for another learner needs admin:${access}`, field: 'learner', data: { wwwAuthenticate: `Bearer error="insufficient_scope", scope="admin:${access}"` } });
  }
  if (!p.roles.some((r) => ADMIN_SCOPE_ROLES.includes(r))) throw CommonErrors.FORBIDDEN.create({ detail: 'only an admin acts for another learner', field: 'learner' });
  return userIdByEmail(app.ctx.db, p.accountId, email);
}
