import { int, isoDate } from '../sql-text.ts';
import type { ReportDefinition } from '../report-definition.ts';

/** User report: every user of the account (a snapshot; the date range does not apply). */
export const usersReport: ReportDefinition = {
  id: 'users',
  title: 'User',
  schemaVersion: 1,
  description: 'One row per user of the account, with the user columns, roles and dates.',
  rangeOn: 'none: every user of the account',
  build(p) {
    return {
      userId: 'r.id',
      from: 'users r',
      where: [`r.account_id = ${int(p.accountId)}`],
      orderBy: ['r.id'],
      rowKey: 'r.id',
      columns: [
        { name: 'Roles', sql: `array_to_string(r.roles, ';')` },
        { name: 'Created At', sql: isoDate('r.created_at') },
        { name: 'Updated At', sql: isoDate('r.updated_at') },
      ],
    };
  },
};
