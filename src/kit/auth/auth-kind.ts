import type { z } from 'zod';
import type { AuthSession } from '../http/auth-session.ts';
import type { TokenSet, TokenStore } from './token-store.ts';

/** What a kind's session may use besides the connection's own settings. */
export interface AuthEnv {
  /** The connection's token slot (engine: encrypted in PostgreSQL, refreshed one at a time across processes). */
  tokens: TokenStore;
  /** Every connection setting (a token URL may depend on e.g. the tenant or the org's domain). */
  connection: Record<string, unknown>;
  /** The app clock, in epoch ms. */
  now(): number;
  /** Token and login requests go through it (a simulator served over HTTPS with its own CA passes one that trusts it). */
  fetch?: typeof fetch;
}

/**
 * A way of authenticating to a vendor API. A connector declares one in its manifest (`auth`); its `settings`
 * schema is the connection form's part for credentials (secret() fields are encrypted at rest and never
 * shown), and `open` gives the HTTP client what to add to each request.
 *
 * @example
 *   const auth = oauth2ClientCredentials({ tokenUrl: (c) => `https://login.example.com/${c.tenantId}/token`, scopes: ['.default'] });
 *   const settings = z.object({ tenantId: z.string(), auth: auth.settings });
 *   const session = auth.open(conn.auth, { tokens, connection: conn, now: () => Date.now() });
 */
export interface AuthKind<S = any, X extends AuthSession = AuthSession> {
  /** e.g. 'oauth2-client-credentials' */
  kind: string;
  /** How the connect form names it. */
  displayName: string;
  settings: z.ZodType<S>;
  /** True when an admin must grant access in the vendor's sign-in page (the form shows a "Connect" button). */
  interactive: boolean;
  /**
   * Kinds whose connections differ (authChoice): whether a connection with these auth settings needs Connect.
   * Absent: `interactive` for every connection.
   */
  interactiveFor?(settings: S): boolean;
  open(settings: S, env: AuthEnv): X;
  /** Interactive kinds: the vendor's sign-in page, and the exchange of what it sends back for tokens. */
  authorization?: {
    url(settings: S, connection: Record<string, unknown>, a: { redirectUri: string; state: string; codeChallenge: string }): string;
    exchange(settings: S, env: AuthEnv, a: { code: string; redirectUri: string; codeVerifier: string }): Promise<TokenSet>;
  };
}

/** Whether a connection with these auth settings signs in at the vendor's page (Connect). */
export const isInteractive = (kind: AuthKind, settings: unknown): boolean => (kind.interactiveFor ? kind.interactiveFor(settings) : kind.interactive);

/** A string, or one computed from the connection's settings. */
export type FromConnection<T = string> = T | ((connection: Record<string, any>) => T);
export const resolve = <T>(v: FromConnection<T>, connection: Record<string, unknown>): T =>
  typeof v === 'function' ? (v as (c: Record<string, unknown>) => T)(connection) : v;
