import { z } from 'zod';
import type { AuthKind } from './auth-kind.ts';
import { AuthErrors } from './errors.ts';

/**
 * Several ways of signing in to one vendor, the admin choosing one per connection (Salesforce: the web
 * server flow with an admin's consent, or the JWT bearer flow for unattended orgs). The settings are a union
 * on `method`; the first choice is the default (`method` may be left out for it). The connection is
 * interactive ("Connect" at the vendor) only when its chosen kind is: `interactiveFor(settings)`.
 * @example authChoice({ 'web-server': oauth2AuthorizationCode({...}), 'jwt-bearer': oauth2JwtBearer({...}) })
 */
export function authChoice(choices: Record<string, AuthKind>): AuthKind<{ method: string } & Record<string, unknown>> {
  const entries = Object.entries(choices);
  if (entries.length < 2) throw new Error('authChoice: give at least two kinds');
  const branch = ([method, kind]: [string, AuthKind], i: number) => {
    const base = kind.settings as unknown as z.ZodObject<z.ZodRawShape>;
    if (!(base instanceof z.ZodObject)) throw new Error(`authChoice: the settings of ${method} are not an object`);
    const tag = z.literal(method).describe(kind.displayName);
    return base.extend({ method: i === 0 ? tag.default(method as never) : tag });
  };
  const settings = z.union(entries.map(branch) as unknown as [z.ZodObject<z.ZodRawShape>, z.ZodObject<z.ZodRawShape>]) as unknown as z.ZodType<{ method: string } & Record<string, unknown>>;
  const pick = (s: { method?: string }): AuthKind => choices[s.method ?? entries[0][0]] ?? entries[0][1];
  const interactiveOnes = entries.filter(([, k]) => k.interactive && k.authorization);
  return {
    kind: `choice(${entries.map(([, k]) => k.kind).join('|')})`,
    displayName: entries.map(([, k]) => k.displayName).join(' or '),
    settings,
    interactive: interactiveOnes.length > 0,
    interactiveFor: (s) => pick(s as { method?: string }).interactive,
    open: (s, env) => pick(s).open(s, env),
    ...(interactiveOnes.length
      ? {
          authorization: {
            url: (s, connection, a) => {
              const k = pick(s);
              if (!k.authorization) throw AuthErrors.NOT_INTERACTIVE.create({ detail: `${k.displayName} signs in without Connect`, field: 'auth.method' });
              return k.authorization.url(s, connection, a);
            },
            exchange: (s, env, a) => {
              const k = pick(s);
              if (!k.authorization) throw AuthErrors.NOT_INTERACTIVE.create({ detail: `${k.displayName} signs in without Connect`, field: 'auth.method' });
              return k.authorization.exchange(s, env, a);
            },
          },
        }
      : {}),
  };
}
