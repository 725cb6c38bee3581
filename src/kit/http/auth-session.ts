/** What an auth kind gives the HTTP client for one connection (kit/auth builds these). */
export interface AuthSession {
  /** Adds credentials to an outgoing request (headers, or query parameters for API-key-in-query kinds). */
  apply(req: { url: URL; headers: Headers }): Promise<void>;
  /** After a 401 (or a classifier's 'auth-expired'): obtain new credentials; true when the request may be retried once. */
  refresh?(): Promise<boolean>;
}
