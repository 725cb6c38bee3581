import type { Selectable } from 'kysely';
import type { UsersTable } from '../../db/schema/core.ts';

/** A user as the API and CLI show it (camelCase; never the password hash). */
export function userView(u: Selectable<UsersTable> & { manager_email?: string | null }) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    managerId: u.manager_id,
    managerEmail: u.manager_email ?? null,
    userType: u.user_type,
    state: u.state,
    roles: u.roles,
    externalIds: u.external_ids,
    dataSourceId: u.data_source_id,
    profile: u.profile,
    fields: u.fields,
    createdAt: u.created_at,
    updatedAt: u.updated_at,
  };
}

export type UserView = ReturnType<typeof userView>;
