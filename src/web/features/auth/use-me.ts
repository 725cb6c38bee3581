import { createContext, useContext } from 'react';
import type { GetResult } from '../../api/client.ts';

export type Me = GetResult<'/api/v1/me'>;

/** The signed-in user (GET /api/v1/me), provided by the app shell. */
export const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside the signed-in shell');
  return me;
}

/** Whether the user holds the role (integration admins see the connector screens). */
export function hasRole(me: Me, role: string): boolean {
  return me.roles.includes(role);
}
