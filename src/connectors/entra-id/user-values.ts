import type { SourceUser } from '../../kit/user-source.ts';

/** A Graph user object as /users and /users/delta return it (only the selected properties). */
export type GraphUserJson = Record<string, unknown> & { id: string };

/** The top-level properties to $select for these fields (`a.b` needs `a`; manager.* comes from $expand). */
export function selectOf(fields: string[]): string[] {
  const top = fields.filter((f) => !f.startsWith('manager.')).map((f) => f.split('.')[0]);
  return [...new Set(['id', ...top])];
}

function plain(v: unknown): string | number | boolean | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (Array.isArray(v)) return v.length ? v.map((x) => String(x)).join('; ') : null;
  if (typeof v === 'object') return JSON.stringify(v);
  return v as string | number | boolean;
}

/**
 * A Graph user as a SourceUser: each wanted field read by its path (`onPremisesExtensionAttributes.extensionAttribute1`,
 * `manager.mail`). A property absent from the answer stays undefined (a delta round sends only what changed),
 * a property Graph sent as null is null.
 */
export function toSourceUser(u: GraphUserJson, fields: string[]): SourceUser {
  const values: SourceUser['values'] = {};
  for (const f of fields) {
    const [head, ...rest] = f.split('.');
    let v: unknown = u[head];
    for (const k of rest) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : v === null ? null : undefined;
    values[f] = plain(v);
  }
  const user: SourceUser = { id: u.id, values };
  // Delta gives the manager as a link, `manager@delta: [{ @odata.type, id }]`: https://learn.microsoft.com/graph/api/user-delta
  const link = u['manager@delta'];
  if (Array.isArray(link)) {
    const m = link.find((x) => x && typeof x === 'object' && !('@removed' in x)) as { id?: string } | undefined;
    user.managerId = m?.id ?? null;
  }
  return user;
}
