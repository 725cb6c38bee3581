/**
 * Writes a fast-xml-parser builder object ('@' attributes, '$' text, arrays as repeated elements, '' as an empty
 * element) as XML, as XMLBuilder({ ignoreAttributes: false, suppressEmptyNode: true }) writes it, in one pass of
 * string concatenation. Get_Workers pages are ~1.4 MB for 100 workers: XMLBuilder took ~2 ms per worker, which
 * made the simulator, not the connector, the bottleneck of bench:workday (200,000 workers). Writing only;
 * parsing stays with fast-xml-parser.
 */
const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const escape = (s: string) => (/[&<>"']/.test(s) ? s.replace(/[&<>"']/g, (c) => ESC[c]) : s);

/**
 * An element already written by writeXml (its own tags included), put in a builder object as is: the simulator
 * keeps the XML of parts many workers share (a manager's entry in the management chains of all its reports).
 */
export class WrittenXml {
  constructor(readonly xml: string) {}
}

export function writeXml(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof WrittenXml) return value.xml;
  if (Array.isArray(value)) {
    let out = '';
    for (const v of value) out += writeXml(name, v);
    return out;
  }
  if (typeof value !== 'object') {
    const text = String(value);
    return text === '' ? `<${name}/>` : `<${name}>${escape(text)}</${name}>`;
  }
  let attrs = '';
  let inner = '';
  for (const key in value as Record<string, unknown>) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined || v === null) continue;
    if (key.charCodeAt(0) === 64 /* @ */) attrs += ` ${key.slice(1)}="${escape(String(v))}"`;
    else if (key === '$') inner += escape(String(v));
    else inner += writeXml(key, v);
  }
  return inner === '' ? `<${name}${attrs}/>` : `<${name}${attrs}>${inner}</${name}>`;
}
