import type pg from 'pg';
import type { ImportPlanShape } from './import-options.ts';
import { litOf, ROWS } from './validate-rows.ts';

export const PLAN = 'lmc_ui_plan';
/** Each manager key of the plan's rows with its user's id (existing or new): a few percent of the rows. */
export const MANAGER_IDS = 'lmc_ui_manager_ids';

/** Plan columns kept only for rows that change (create, update). */
const WIDE = ['email', 'name', 'mgr', 'old_email', 'old_name', 'old_user_type', 'new_user_type', 'old_state', 'old_source', 'old_profile', 'old_fields'];

/** The users sequence, which gives new users their ids. */
export async function usersSequence(client: pg.ClientBase): Promise<string> {
  return (await client.query<{ s: string }>(`select pg_get_serial_sequence('users', 'id') as s`)).rows[0].s;
}

/**
 * The managers: each distinct manager key of a valid row (a few percent of the rows; the keys the row writers
 * collected when they could, a superset: see EmailKeys.managers) with the id it keeps or gets (a new manager's
 * id is taken from the users sequence now, so the rows under it can link to it). The plan (or a first import's
 * insert) then finds a row's own id and its manager's id in this small table, a hash that stays in the CPU's
 * cache, instead of joining every row twice with a table of every row's id.
 */
async function buildManagerIds(client: pg.ClientBase, A: number, seq: string, known: string[] | null | undefined): Promise<void> {
  const lit = litOf(client);
  await client.query(`drop table if exists ${MANAGER_IDS}`);
  await client.query(`
    create temp table ${MANAGER_IDS} on commit drop as
    with keys as materialized (${known ? 'select unnest($1::text[]) as em' : `select distinct mgr as em from ${ROWS} where included and reason is null and mgr is not null`}),
    staged as materialized (
      select r.em, coalesce(u.id, nextval(${lit(seq)})) as uid, r.mgr, u.id is null as fresh
      from ${ROWS} r join keys k on k.em = r.em
      left join users u on u.account_id = ${A} and lower(u.email) = r.em
      where r.included and r.reason is null)
    -- a manager outside the files is a (not deleted) user of the account, looked up by index
    -- (staged: the manager is a row of the files, whose own manager is mgr; manager-cycles.ts walks these;
    -- fresh: a new user)
    select k.em, coalesce(s.uid, (select mu.id from users mu where mu.account_id = ${A} and lower(mu.email) = k.em and mu.state <> 'deleted')) as uid,
      s.mgr, s.em is not null as staged, coalesce(s.fresh, false) as fresh
    from keys k left join staged s on s.em = k.em`, known ? [known] : []);
  await client.query(`analyze ${MANAGER_IDS}`);
}

/**
 * How a plan is made, decided before the files are read, from whether the account has users yet:
 * - stagedDocs: the row writers write each row's documents (src/pipelines/import-users/row-writer.ts). Worth it when most rows will be
 *   new (a first import: parsing costs the database half of building); an account with users gets updates
 *   from a few rows, and their documents are built from the staged values when needed.
 * - direct: a real run into an account without users (the first import). Each valid row is then a new user,
 *   and the insert reads the staged rows and the manager table themselves: no plan of a million rows is
 *   written and read back. A dry run builds the plan (its change set is read from it), and so does a first
 *   import whose managers form a cycle (the cycle search walks every row's id).
 */
export interface PlanMode {
  stagedDocs: boolean;
  direct: boolean;
  /** The manager keys the row writers collected (EmailKeys.managers), once the files are read. */
  managerKeys?: string[] | null;
  /**
   * Whether the plan keeps the unchanged rows too. Nothing reads them but the search that names every row on a
   * manager cycle (manager-cycles.ts asks for them then): elsewhere an unchanged row is its user as stored.
   */
  complete?: boolean;
}

export async function planMode(client: pg.ClientBase, accountId: number, dryRun: boolean): Promise<PlanMode> {
  const r = await client.query<{ none: boolean }>(`select not exists (select 1 from users where account_id = ${Number(accountId)}) as none`);
  return { stagedDocs: r.rows[0].none, direct: r.rows[0].none && !dryRun };
}

/**
 * The plan: one row per valid, included CSV row with the user's current state (old_*), the id it keeps or
 * gets, the resolved manager id, the new profile/fields documents and the action: create, update (something
 * differs) or unchanged (nothing is rewritten). Direct (see PlanMode): only the manager table.
 */
export async function buildPlan(client: pg.ClientBase, shape: ImportPlanShape, accountId: number, connectionId: number, mode: PlanMode): Promise<PlanSummary> {
  const lit = litOf(client);
  const A = Number(accountId);
  const seq = await usersSequence(client);
  await client.query(`drop table if exists ${PLAN}`);
  await buildManagerIds(client, A, seq, mode.managerKeys);
  const managers = await client.query<{ dangling: boolean; fresh: boolean }>(
    `select coalesce(bool_or(uid is null), false) as dangling, coalesce(bool_or(fresh), false) as fresh from ${MANAGER_IDS}`,
  );
  if (mode.direct) {
    // Every valid row is created (counted with the report's pass over the rows); every link is new.
    return { create: 0, update: 0, unchanged: 0, dangling: managers.rows[0].dangling, newLinks: true, mode };
  }
  // A manager's row takes the id its entry holds: only a new manager's differs from what the join with the
  // users gives (an import of users who all exist, such as a re-import, skips that join).
  const ownId = managers.rows[0].fresh ? 'mi.uid, ' : '';
  const keys = (xs: string[]) => `array[${xs.map(lit).join(', ')}]::text[]`;
  // The imported documents come parsed from the staging rows (src/pipelines/import-users/row-writer.ts). A new user's documents are
  // just those; an updated user's are the old ones with the imported keys replaced.
  const merged = (old: string, drop: string[], fresh: string) =>
    drop.length ? `case when ${old} is null then ${fresh} else (${old} - ${keys(drop)}) || ${fresh} end` : `coalesce(${old}, '{}'::jsonb)`;
  // Not staged: built from the values (JSON of the non-null ones, as the row writer would have written).
  // jsonb_build_object takes at most 100 arguments (PostgreSQL's FUNC_MAX_ARGS): 50 pairs a call, joined by ||.
  const built = (pairs: Array<[string, string]>) => {
    const parts: string[] = [];
    for (let i = 0; i < pairs.length; i += 50) parts.push(`jsonb_build_object(${pairs.slice(i, i + 50).map(([k, v]) => `${lit(k)}, ${v}`).join(', ')})`);
    return `jsonb_strip_nulls(${parts.join(' || ')})`;
  };
  const fresh = (t: string, doc: string, pairs: Array<[string, string]>) => (mode.stagedDocs ? `${t}.${doc}::jsonb` : pairs.length ? built(pairs) : `'{}'::jsonb`);
  const at = (t: string) => ({
    profile: merged(`${t}.old_profile`, shape.profile.map((p) => p.key), fresh(t, 'profile_doc', shape.profile.map((p, i) => [p.key, `${t}.p${i}`]))),
    fields: merged(`${t}.old_fields`, dropFields, fresh(t, 'fields_doc', shape.fields.map((f, i) => [f.name, `${t}.f${i}`]))),
  });
  const dropFields = [...shape.fields.map((f) => f.name), ...shape.deleteFields.map((f) => f.name)];
  const pcols = shape.profile.map((_, i) => `r.p${i}`);
  const fcols = shape.fields.map((_, i) => `r.f${i}`);
  // Whether the documents change, compared key by key: no JSON is built for the rows that stay the same.
  const profileDiff = shape.profile.map((p, i) => `x.old_profile ->> ${lit(p.key)} is distinct from x.p${i}`);
  const fieldsDiff = [...shape.fields.map((f, i) => `x.old_fields ->> ${lit(f.name)} is distinct from x.f${i}`), ...shape.deleteFields.map((f) => `x.old_fields ? ${lit(f.name)}`)];
  const anyDiff = [...profileDiff, ...fieldsDiff].join(' or ') || 'false';
  const rows = `
    select file_no, line, em, uid, old_id, old_manager_id, new_manager_id, mgr is not null as has_mgr, action,
      -- the values only where something changes: an unchanged row (most of a re-import) needs none of them
      ${WIDE.map((c) => `case when action <> 'unchanged' then y.${c} end as ${c}`).join(', ')},
      case when action <> 'unchanged' then ${at('y').profile} end as new_profile,
      case when action <> 'unchanged' then ${at('y').fields} end as new_fields
    from (
      select x.*,
        case when x.old_id is null then 'create'
          when x.old_name is distinct from x.name or x.old_manager_id is distinct from x.new_manager_id
            or x.old_user_type is distinct from x.new_user_type or x.old_state <> 'active' or x.old_source is distinct from ${Number(connectionId)}
            or x.old_email is distinct from x.email or ${anyDiff}
          then 'update' else 'unchanged' end as action
      from (
        -- a row's id: its manager entry's (a manager keeps one id), else its user's, else a new one
        select r.file_no, r.line, r.email, r.em, r.name, r.mgr, r.user_type, r.profile_doc, r.fields_doc ${[...pcols, ...fcols].map((c) => ', ' + c).join('')},
          u.id as old_id, u.email as old_email, u.name as old_name, u.manager_id as old_manager_id, u.user_type as old_user_type,
          u.state as old_state, u.profile as old_profile, u.fields as old_fields, u.data_source_id as old_source,
          coalesce(${ownId}u.id, nextval(${lit(seq)})) as uid, m.uid as new_manager_id,
          coalesce(r.user_type, u.user_type, 'internal') as new_user_type
        from ${ROWS} r
        ${ownId ? `left join ${MANAGER_IDS} mi on mi.em = r.em` : ''}
        left join ${MANAGER_IDS} m on m.em = r.mgr
        left join users u on u.account_id = ${A} and lower(u.email) = r.em
        where r.included and r.reason is null
        offset 0 -- computed once per row (nextval above), not again for each use in the CASE
      ) x offset 0
    ) y`;
  // The table is made empty, then filled by an INSERT whose RETURNING rows give the summary: cheaper than
  // reading a million rows back.
  await client.query(`create temp table ${PLAN} on commit drop as ${rows} with no data`);
  const r = await client.query<Omit<PlanSummary, 'mode' | 'dangling'>>(`
    with p as (insert into ${PLAN} select * from (${rows}) a ${mode.complete ? '' : `where a.action <> 'unchanged'`}
      returning action, new_manager_id, old_manager_id)
    select count(*) filter (where action = 'create')::int as create, count(*) filter (where action = 'update')::int as update,
      count(*) filter (where action = 'unchanged')::int as unchanged,
      coalesce(bool_or(action = 'create' or old_manager_id is distinct from new_manager_id), false) as "newLinks"
    from p`);
  await client.query(`analyze ${PLAN}`);
  // A manager key that resolved to no one is a row's manager not found (whether that row changes or not).
  return { ...r.rows[0], dangling: managers.rows[0].dangling, mode };
}

/** What the later steps ask of a plan, read in one pass over it. */
export interface PlanSummary {
  create: number;
  update: number;
  unchanged: number;
  /** Some row names a manager that resolved to no one (then the unknown-manager check runs). */
  dangling: boolean;
  /** Some manager link would be made or changed (only then can a cycle appear: the platform's links have none). */
  newLinks: boolean;
  /** How it was made (a direct one has no plan table; its create count comes later, and so does the unchanged
   * count of a plan without its unchanged rows: see PlanMode.complete). */
  mode: PlanMode;
}

