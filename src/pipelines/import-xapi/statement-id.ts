import crypto from 'node:crypto';

// The namespace of import statement ids (a random UUID fixed once for lmc; changing it would duplicate
// every statement imported before).
const NAMESPACE = '5b0f6d1e-3c1a-4d8e-9a57-0c6b2f3e8d41';

const namespaces = new Map<string, Buffer>();

/** RFC 9562 UUID version 5 (SHA-1 of namespace + name). */
export function uuidV5(name: string, namespace = NAMESPACE): string {
  let ns = namespaces.get(namespace);
  if (!ns) {
    if (namespaces.size > 100) namespaces.clear();
    namespaces.set(namespace, (ns = Buffer.from(namespace.replace(/-/g, ''), 'hex')));
  }
  const h = crypto.createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/**
 * The id of the statement a row becomes: UUID v5 of the configuration id and the row's content (every
 * column's name and value, in column-name order). The file's name and the row's position do not count, so
 * the same row re-imported (the same file again, renamed, or moved within a file) gets the same id and the
 * LRS stores it once.
 * @example statementIdOf('6f1c…', { email: 'ada@example.com', verb: '…' })
 */
export function statementIdOf(configurationId: string, values: Record<string, string>): string {
  const content = Object.keys(values)
    .sort()
    .map((k) => [k, values[k]]);
  return uuidV5(`${configurationId.toLowerCase()}\n${JSON.stringify(content)}`);
}
