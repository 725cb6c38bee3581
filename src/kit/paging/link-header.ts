/**
 * The target of `rel="next"` in an RFC 8288 Link header (`<https://x/items?page=2>; rel="next", <...>; rel="last"`),
 * resolved against the URL of the answer that carried it.
 */
export function nextFromLinkHeader(link: string | null | undefined, base: string): string | undefined {
  if (!link) return undefined;
  for (const m of link.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]+)*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]+))/i.exec(m[2]);
    const rels = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (rels.includes('next')) return new URL(m[1], base).toString();
  }
  return undefined;
}
