import { ident, lit } from './sql-text.ts';
import type { ColumnSql, ReportDefinition, ReportEnv, ReportParams, ReportSelect } from './report-definition.ts';
import { userColumns, userJoin } from './user-columns.ts';

const where = (conds: string[]): string => (conds.length ? `where ${conds.join(' and ')}` : '');

/** The SELECT of one report: user columns (for reports about users) then the report's own columns. */
export function reportSelect(def: ReportDefinition, p: ReportParams, env: ReportEnv): ReportSelect {
  const body = def.build(p, env);
  const cols: ColumnSql[] = [...(body.userId ? userColumns(env.activeFields) : []), ...body.columns];
  const from = body.userId ? `${body.from} ${userJoin(body.userId)}` : body.from;
  return {
    sql: `select ${cols.map((c) => `${c.sql} as ${ident(c.name)}`).join(', ')} from ${from} ${where(body.where)} order by ${body.orderBy.join(', ')}`,
    columns: cols.map((c) => c.name),
  };
}

/**
 * The unified report: the chosen reports stacked into one dataset for BI. Every row has the user columns
 * (empty for rows not about a user, e.g. trainings), a "Report" column naming the report it comes from, and
 * one column per column of every chosen report, headed "<Report>: <column>", filled only on that report's rows.
 */
export function unifiedSelect(defs: ReportDefinition[], p: ReportParams, env: ReportEnv): ReportSelect {
  const users = userColumns(env.activeFields);
  const bodies = defs.map((d) => d.build(p, env));
  const headers = [...users.map((c) => c.name), 'Report', ...defs.flatMap((d, i) => bodies[i].columns.map((c) => `${d.title}: ${c.name}`))];
  const branches = defs.map((d, bi) => {
    const b = bodies[bi];
    const vals = [
      ...users.map((c) => (b.userId ? c.sql : 'null::text')),
      lit(d.title),
      ...bodies.flatMap((other, oi) => other.columns.map((c) => (oi === bi ? c.sql : 'null::text'))),
    ];
    const from = b.userId ? `${b.from} ${userJoin(b.userId)}` : b.from;
    return `select ${vals.map((v, i) => `${v} as c${i}`).join(', ')}, ${bi} as _b, ${b.rowKey} as _k from ${from} ${where(b.where)}`;
  });
  return {
    sql: `select ${headers.map((h, i) => `x.c${i} as ${ident(h)}`).join(', ')} from (${branches.map((s) => `(${s})`).join(' union all ')}) x order by x._b, x._k`,
    columns: headers,
  };
}
