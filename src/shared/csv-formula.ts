/**
 * Spreadsheet formula injection ("CSV injection"): a cell that starts with `=`, `+`, `-`, `@`, a tab or a
 * carriage return is run as a formula when a person opens the CSV in Excel, LibreOffice or Google Sheets
 * (it can read other cells, open links, or on old set-ups run commands). Following OWASP's guidance
 * (https://owasp.org/www-community/attacks/CSV_Injection), such a cell is written with a leading single
 * quote, which the spreadsheet shows as text; the CSV writer quotes the cell as RFC 4180 asks. A plain
 * number (`-12`, `+3.5`) is left alone: it is no formula, and a quote would turn it into text.
 *
 * Used for every CSV the product writes for people: the error report, the change set, and the reports and
 * xAPI exports downloaded from the web app, the API or the CLI. Exports written into file drops for other
 * systems keep their values as they are (docs/input-safety.md).
 */
const TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);
const PLAIN_NUMBER = /^[-+]?\d+(\.\d+)?$/;

/** The cell as a spreadsheet will show it as text. @example neutraliseFormula('=1+1') === "'=1+1" */
export function neutraliseFormula(v: string): string {
  return v.length > 0 && TRIGGERS.has(v[0]) && !PLAIN_NUMBER.test(v) ? `'${v}` : v;
}

/**
 * The same rule in SQL, for CSVs written by PostgreSQL's COPY. `expr` is any value; `format('%s', ...)` gives
 * its text as COPY would print it (booleans stay t/f), and NULL stays NULL (an empty unquoted cell).
 * @example neutraliseFormulaSql('s.c0')
 */
export function neutraliseFormulaSql(expr: string): string {
  const t = `format('%s', ${expr})`;
  return `(case when ${expr} is null then null when left(${t}, 1) in ('=', '+', '-', '@', E'\\t', E'\\r') and ${t} !~ '^[-+]?[0-9]+([.][0-9]+)?$' then '''' || ${t} else ${t} end)`;
}

/**
 * Wraps a SELECT so that every output column is neutralised; the header keeps `columns` (the SELECT's own
 * output columns are renamed by position, so duplicate or odd names cannot clash).
 */
export function neutraliseSelectSql(selectSql: string, columns: string[], ident: (s: string) => string): string {
  const names = columns.map((_, i) => `c${i}`);
  return `select ${columns.map((c, i) => `${neutraliseFormulaSql(`s.${names[i]}`)} as ${ident(c)}`).join(', ')} from (${selectSql}) s(${names.join(', ')})`;
}
