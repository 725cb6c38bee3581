/** Tokens an auth kind obtained for one connection. Stored encrypted by the engine (engine/token-store.ts). */
export interface TokenSet {
  accessToken: string;
  /** Absent when the server issues none (client credentials); rotating servers issue a new one at each refresh. */
  refreshToken?: string;
  /** Epoch ms; absent when the server did not say. */
  expiresAt?: number;
  tokenType?: string;
  scope?: string;
  /** Epoch ms when it was obtained (a refresh right after another one is not repeated). */
  obtainedAt?: number;
  /** What else the kind needs to keep (e.g. a session's instance URL). */
  extra?: Record<string, string>;
}

/**
 * Where an auth kind keeps its tokens: one slot per connection. `refreshing` runs its function alone across
 * every process of a deployment (a rotating refresh token must be spent once), and hands it what is stored
 * at that moment, so a caller that waited behind another's refresh finds the new tokens and skips its own.
 */
export interface TokenStore {
  get(): Promise<TokenSet | null>;
  set(t: TokenSet): Promise<void>;
  refreshing(fn: (current: TokenSet | null) => Promise<TokenSet>): Promise<TokenSet>;
  /** The server refused the saved grant (invalid_grant): the connection waits for an admin to connect it again. */
  needsReauthorization(reason: string): Promise<void>;
}

/** A store in this process's memory: for testing settings before a connection is saved, and for unit tests. */
export function memoryTokenStore(initial: TokenSet | null = null): TokenStore & { reauthReason?: string } {
  let current = initial;
  let chain: Promise<unknown> = Promise.resolve();
  const store: TokenStore & { reauthReason?: string } = {
    get: async () => current,
    set: async (t) => {
      current = t;
    },
    refreshing: (fn) => {
      const next = chain.then(async () => {
        current = await fn(current);
        return current;
      });
      chain = next.catch(() => undefined);
      return next;
    },
    needsReauthorization: async (reason) => {
      store.reauthReason = reason;
    },
  };
  return store;
}

/** True when the token is missing or expires within `skewMs` (60 s by default: a request in flight must not outlive it). */
export function isStale(t: TokenSet | null, now: number, skewMs = 60_000): boolean {
  return !t || (t.expiresAt !== undefined && t.expiresAt - skewMs <= now);
}
