import type { Role } from '../../../db/schema/core.ts';

/** Who manages the account's OAuth applications (the spec: "Log in ... as Integration Admin"). */
export const APP_ADMIN_ROLES: Role[] = ['admin', 'integration_admin'];
