import type { Role } from '../../db/schema/core.ts';
import { OAuthErrors } from './errors.ts';

/** The scopes an application may ask for, with the words the consent screen shows. */
export const SCOPES = {
  'learner:read': 'See your trainings, enrollments, progress and announcements',
  'learner:write': 'Enroll you in trainings',
  'admin:read': "See the account's learners' trainings, enrollments and progress (for an admin)",
  'admin:write': "Enroll the account's learners (for an admin)",
} as const;
export type Scope = keyof typeof SCOPES;
export const SCOPE_NAMES = Object.keys(SCOPES) as Scope[];

/** Roles that may grant the admin scopes: an app acting for other learners needs an admin's consent. */
export const ADMIN_SCOPE_ROLES: Role[] = ['admin', 'integration_admin'];

export function isScope(s: string): s is Scope {
  return Object.hasOwn(SCOPES, s);
}

/**
 * A scope parameter as a list. RFC 6749 §3.3 separates with spaces; commas are accepted too, since the spec's
 * set-up page writes "admin:read,admin:write".
 */
export function parseScope(raw: string | undefined | null): string[] {
  if (!raw) return [];
  return [...new Set(raw.split(/[\s,]+/).filter(Boolean))];
}

/**
 * The scopes of an authorization request: the requested ones (default: all the app registered), each known,
 * registered for the app, and grantable by the user (admin scopes need an admin).
 */
export function grantableScopes(requested: string[], registered: string[], roles: Role[]): Scope[] {
  const wanted = requested.length ? requested : registered;
  for (const s of wanted) {
    if (!isScope(s)) throw OAuthErrors.INVALID_SCOPE.create({ detail: `unknown scope "${s}" (known: ${SCOPE_NAMES.join(', ')})`, field: 'scope' });
    if (!registered.includes(s)) throw OAuthErrors.INVALID_SCOPE.create({ detail: `"${s}" is not registered for the application`, field: 'scope' });
    if (s.startsWith('admin:') && !roles.some((r) => ADMIN_SCOPE_ROLES.includes(r))) {
      throw OAuthErrors.INVALID_SCOPE.create({ detail: `"${s}" needs an admin or integration admin to consent`, field: 'scope' });
    }
  }
  return wanted as Scope[];
}
