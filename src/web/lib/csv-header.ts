/**
 * The column names of a CSV file's header row (RFC 4180 quoting, BOM, CRLF), read in the browser so a
 * template never has to leave the admin's machine to fill the mapping's dropdowns.
 */
export function csvHeader(text: string): string[] {
  const s = text.replace(/^\uFEFF/, '');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur.trim());
      cur = '';
    } else if (ch === '\n' || ch === '\r') break;
    else cur += ch;
  }
  out.push(cur.trim());
  return out.filter((c) => c.length > 0);
}
