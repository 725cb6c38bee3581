import { z } from 'zod';
import { secret } from '../define-connector.ts';
import type { AuthSession } from '../http/auth-session.ts';
import type { AuthKind } from './auth-kind.ts';

const settings = z.object({ username: z.string().trim().min(1).max(256), password: secret(z.string().min(1).max(1024)) });
export type WsSecuritySettings = z.infer<typeof settings>;

/** A SOAP session: nothing goes in HTTP headers; each envelope carries the WS-Security header. */
export interface SoapAuthSession extends AuthSession {
  /** The `<wsse:Security>` element to put inside the envelope's `<soapenv:Header>`. */
  soapHeader(): string;
}

const xml = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

/**
 * WS-Security UsernameToken with a clear-text password over HTTPS (OASIS WSS UsernameToken Profile 1.1,
 * PasswordText), as Workday Web Services expect from an integration system user ("ISU@tenant").
 * @example const session = wsSecurityUsernameToken.open({ username: 'isu@acme', password }, env); envelope(session.soapHeader(), body)
 */
export const wsSecurityUsernameToken: AuthKind<WsSecuritySettings, SoapAuthSession> = {
  kind: 'ws-security',
  displayName: 'Integration user name and password (SOAP)',
  settings,
  interactive: false,
  open: (s) => ({
    apply: async () => undefined,
    soapHeader: () =>
      '<wsse:Security soapenv:mustUnderstand="1" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">' +
      `<wsse:UsernameToken><wsse:Username>${xml(s.username)}</wsse:Username>` +
      `<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">${xml(s.password)}</wsse:Password>` +
      '</wsse:UsernameToken></wsse:Security>',
  }),
};
