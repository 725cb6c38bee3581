import { LrsErrors } from './errors.ts';

/** The two xAPI versions this LRS speaks; a request's X-Experience-API-Version header picks one. */
export type XapiVersion = '1.0.3' | '2.0.0';
/** Newest first: the order /xapi/about lists them in. */
export const XAPI_VERSIONS: readonly XapiVersion[] = ['2.0.0', '1.0.3'];

/**
 * Maps the X-Experience-API-Version header to the version whose rules apply: any 1.0.x is answered as
 * 1.0.3 (the last 1.0 patch, which only clarified 1.0.0-1.0.2), any 2.0.x as 2.0.0. Anything else is 400.
 */
export function parseVersionHeader(v: string | string[] | undefined): XapiVersion {
  const s = Array.isArray(v) ? v[0] : v;
  if (s && /^1\.0(\.\d+)?$/.test(s.trim())) return '1.0.3';
  if (s && /^2\.0(\.\d+)?$/.test(s.trim())) return '2.0.0';
  throw LrsErrors.VERSION_REQUIRED.create(s ? `got "${s}"` : undefined);
}
