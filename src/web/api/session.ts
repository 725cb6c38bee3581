/** The web session: the bearer token from sign-in and the accounts this login opens. Kept in localStorage. */
export interface Session {
  token: string;
  accountId: number;
  accounts: Array<{ id: number; name: string; slug: string }>;
  email: string;
}

const KEY = 'lmc.session';

export function loadSession(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(s: Session): void {
  localStorage.setItem(KEY, JSON.stringify(s));
}

export function clearSession(): void {
  localStorage.removeItem(KEY);
}
