/** The answer of GET /api/v1/connections/:id/user-import/columns. */
export interface DropColumns {
  files: Array<{ name: string; columns: string[] }>;
  columns: string[];
}

/** What the Mapping screen says about the files it read: which files, and which columns each one lacks. */
export interface DropColumnsSummary {
  /** e.g. "Read 2 files from import/user/internal/: hr.csv (5 columns), bulk.csv (5 columns)". */
  read: string | null;
  /** Set when the drop holds no CSV file. */
  empty: string | null;
  /** One line per file lacking columns that another file has (every mapped column must be in every file). */
  disagreements: string[];
}

/**
 * Describes the discovered columns for the admin.
 * @example summarizeDropColumns({ files: [{ name: 'a.csv', columns: ['Email'] }], columns: ['Email'] }).read
 */
export function summarizeDropColumns(d: DropColumns): DropColumnsSummary {
  if (d.files.length === 0) {
    return { read: null, empty: 'The drop holds no CSV file in import/user/internal/: upload files there, or use a template CSV.', disagreements: [] };
  }
  const list = d.files.map((f) => `${f.name} (${f.columns.length} column${f.columns.length === 1 ? '' : 's'})`).join(', ');
  const disagreements: string[] = [];
  for (const f of d.files) {
    const missing = d.columns.filter((c) => !f.columns.includes(c));
    if (missing.length) disagreements.push(`${f.name} lacks ${missing.map((m) => `"${m}"`).join(', ')}`);
  }
  return { read: `Read ${d.files.length} file${d.files.length === 1 ? '' : 's'} from import/user/internal/: ${list}`, empty: null, disagreements };
}
