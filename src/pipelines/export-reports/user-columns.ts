import { isoDate, lit } from './sql-text.ts';
import type { ColumnSql } from './report-definition.ts';

/**
 * The user columns that open every report about users: fixed columns, then one per active field of the
 * account (header = the field's name, in the order given). Expects the aliases u (the user) and m (manager).
 */
export function userColumns(activeFields: string[]): ColumnSql[] {
  return [
    { name: 'User ID', sql: 'u.id::text' },
    { name: 'Name', sql: 'u.name' },
    { name: 'Email', sql: 'u.email' },
    { name: 'User Type', sql: 'u.user_type' },
    { name: 'User State', sql: 'u.state' },
    { name: 'Manager Email', sql: 'm.email' },
    ...activeFields.map((f) => ({ name: f, sql: `u.fields->>${lit(f)}` })),
  ];
}

/** FROM text joining the user (u) and the manager (m) on a user id expression. */
export function userJoin(userIdSql: string): string {
  return `join users u on u.id = ${userIdSql} left join users m on m.id = u.manager_id`;
}

export const createdUpdated = (alias: string): ColumnSql[] => [
  { name: 'Created At', sql: isoDate(`${alias}.created_at`) },
  { name: 'Updated At', sql: isoDate(`${alias}.updated_at`) },
];
