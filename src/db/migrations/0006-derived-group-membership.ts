import { sql, type Kysely } from 'kysely';

// Automatic groups' members are derived, not stored. A field group's members are the users whose active field
// holds the group's value; a team group's members are its manager's direct reports. Storing them meant ~5 rows
// per user (4.86M rows for a 1M-user import: most of its time). Only custom groups (made by admins) keep rows in
// user_group_members. The view user_group_membership answers "members of a group" and "groups of a user" for
// every kind; the planner pushes a group_id or user_id condition into each branch (see docs/platform.md).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
delete from user_group_members m using user_groups g where g.id = m.group_id and g.kind in ('field', 'team');

-- A field group is a predicate on users.fields: this index serves "fields @> {name: value}" (members of a
-- field group, whether a value is still held by someone) without a scan of the account's users.
create index users_fields on users using gin (fields jsonb_path_ops);

create view user_group_membership as
select g.id as group_id, u.id as user_id
from user_groups g
join active_fields f on f.id = g.field_id and f.groupable
join users u on u.account_id = g.account_id and u.fields @> jsonb_build_object(f.name, g.field_value) and u.state <> 'deleted'
where g.kind = 'field'
union all
select g.id, u.id
from user_groups g
join users m on m.id = g.manager_id and m.state <> 'deleted'
join users u on u.manager_id = g.manager_id and u.state <> 'deleted'
where g.kind = 'team'
union all
select m.group_id, m.user_id
from user_group_members m
join user_groups g on g.id = m.group_id and g.kind = 'custom';
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
drop view if exists user_group_membership;
drop index if exists users_fields;
insert into user_group_members (group_id, user_id)
select group_id, user_id from (
  select g.id as group_id, u.id as user_id from user_groups g
  join active_fields f on f.id = g.field_id
  join users u on u.account_id = g.account_id and u.fields ->> f.name = g.field_value and u.state <> 'deleted'
  where g.kind = 'field'
  union all
  select g.id, u.id from user_groups g join users u on u.manager_id = g.manager_id and u.state <> 'deleted'
  where g.kind = 'team') x
on conflict do nothing;
`.execute(db);
}
