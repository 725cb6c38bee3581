/** Lists come back either as an array or wrapped ({ items }, { connectors }, ...): take the array. */
export function listOf<T = any>(x: unknown): T[] {
  if (Array.isArray(x)) return x as T[];
  if (x && typeof x === 'object') {
    for (const v of Object.values(x)) if (Array.isArray(v)) return v as T[];
  }
  return [];
}
