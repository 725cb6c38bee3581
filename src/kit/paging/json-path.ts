/**
 * Reads a value by a dotted path whose keys may themselves hold dots: '@odata.nextLink' is one key of a Graph
 * page, 'paging.next.after' three levels of a HubSpot one. At each level the longest key that exists wins.
 * @example valueAt({ '@odata.nextLink': 'u' }, '@odata.nextLink') // 'u'
 */
export function valueAt(obj: unknown, path: string | undefined): unknown {
  if (path === undefined || path === '' || path === '.') return obj;
  const parts = path.split('.');
  const walk = (o: unknown, i: number): unknown => {
    if (i === parts.length) return o;
    if (o === null || typeof o !== 'object') return undefined;
    for (let j = parts.length; j > i; j--) {
      const key = parts.slice(i, j).join('.');
      if (Object.prototype.hasOwnProperty.call(o, key)) return walk((o as Record<string, unknown>)[key], j);
    }
    return undefined;
  };
  return walk(obj, 0);
}
