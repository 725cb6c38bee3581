/**
 * Workday Web Services over SOAP 1.1 through the kit's HTTP client: one POST per operation to
 * {host}/ccx/service/{tenant}/{Service}/v40.1 with the WS-Security UsernameToken header
 * (https://community.workday.com/sites/default/files/file-hosting/productionapi/index.html). Envelopes are built
 * and read with fast-xml-parser; Workday's SOAP faults (HTTP 500) become coded errors an admin can act on.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { wsSecurityUsernameToken } from '../../kit/auth/ws-security.ts';
import type { Classifier } from '../../kit/http/classify.ts';
import type { HttpClient } from '../../kit/http/client.ts';
import { HttpError } from '../../kit/http/http-error.ts';
import { WorkdayErrors } from './errors.ts';
import { WORKDAY_VERSION, type WorkdaySettings } from './settings.ts';

export const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
export const WD = 'urn:com.workday/bsvc';

export type XmlNode = Record<string, unknown>;

/**
 * Workday's answers as objects: namespace prefixes removed (paths read `Personal_Data`, whatever prefix the
 * tenant uses), attributes under '@', element text under '$', every value a string (ids keep their zeros).
 * jPath: false: the parser then hands its callbacks a matcher instead of writing each element's path as a string.
 * Get_Workers pages are not read with it but with worker-page.ts (only the parts the mapping reads, same shape).
 */
export const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', textNodeName: '$', removeNSPrefix: true, parseTagValue: false, parseAttributeValue: false, trimValues: true, jPath: false });
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', textNodeName: '$', suppressEmptyNode: true });

/** A SOAP fault's parts (faultcode without its prefix, e.g. "Client.validationError"). */
export function faultOf(body: unknown): { code: string; message: string } | undefined {
  if (typeof body !== 'string' || !body.includes('Fault')) return undefined;
  let doc: XmlNode;
  try {
    doc = parser.parse(body) as XmlNode;
  } catch {
    return undefined;
  }
  const fault = ((doc.Envelope as XmlNode | undefined)?.Body as XmlNode | undefined)?.Fault as XmlNode | undefined;
  if (!fault) return undefined;
  const code = String(fault.faultcode ?? '').replace(/^[^:]*:/, '');
  const detail = (fault.detail ?? {}) as XmlNode;
  const v = (detail.Validation_Fault as XmlNode | undefined)?.Validation_Error;
  const first = (Array.isArray(v) ? v[0] : v) as XmlNode | undefined;
  const p = detail.Processing_Fault as XmlNode | undefined;
  const message = String(first?.Message ?? p?.Detail_Message ?? fault.faultstring ?? code);
  return { code, message: first?.Xpath ? `${message} (at ${String(first.Xpath)})` : message };
}

/**
 * Workday's quirks for the kit's client: a Client.* fault is final (another try gets the same answer); an
 * authentication fault means the user or password is wrong (there is no token to renew); Server faults and
 * plain 429/5xx are retried by status.
 */
export const workdayClassifier: Classifier = (res, body) => {
  const f = faultOf(body);
  if (!f) return undefined;
  // A busy or failing service: retried as its status says, with Workday's words instead of the envelope.
  if (!f.code.startsWith('Client')) return res.status === 429 ? { outcome: 'rate-limited', vendorCode: f.code, message: f.message } : res.status >= 500 ? { outcome: 'retry', vendorCode: f.code, message: f.message } : undefined;
  if (f.code === 'Client.authenticationError') return { outcome: 'auth-expired', vendorCode: f.code, message: f.message };
  return { outcome: 'fatal', vendorCode: f.code, message: f.message };
};

/** A Workday fault that reached the caller as a coded error of this connector (the HTTP error as cause). */
export function workdayError(e: unknown): unknown {
  if (!(e instanceof HttpError) || !e.vendorCode) return e;
  const detail = e.message.replace(/^.*?:\s*/, '');
  if (e.vendorCode === 'Client.authenticationError') return WorkdayErrors.AUTHENTICATION.create({ detail, cause: e });
  if (e.vendorCode === 'Client.validationError') return WorkdayErrors.VALIDATION_FAULT.create({ detail, cause: e });
  if (e.vendorCode === 'Client.processingError') return WorkdayErrors.PROCESSING_FAULT.create({ detail, cause: e });
  return e;
}

/** The request envelope of one operation (WS-Security header, the body in urn:com.workday/bsvc). */
function envelopeOf(settings: WorkdaySettings, operation: string, request: XmlNode): string {
  const session = wsSecurityUsernameToken.open(settings.auth, { tokens: undefined as never, connection: settings, now: () => Date.now() });
  const bodyXml = builder.build({ [`wd:${operation}_Request`]: { '@wd:version': WORKDAY_VERSION, ...request } }) as string;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="${SOAP_ENV}" xmlns:wd="${WD}"><soapenv:Header>${session.soapHeader()}</soapenv:Header><soapenv:Body>${bodyXml}</soapenv:Body></soapenv:Envelope>`
  );
}

/**
 * Calls one operation of a Workday service and returns the answer's text: a SOAP fault never gets here (the
 * kit's client classified it on the whole answer with workdayClassifier, and it is turned into this connector's
 * coded error), nor a failure the client retried.
 */
export async function callWorkdayText(http: HttpClient, settings: WorkdaySettings, service: 'Human_Resources' | 'Talent', operation: string, request: XmlNode, o: { idempotent?: boolean } = {}): Promise<string> {
  try {
    return (
      await http.request<string>({
        method: 'POST',
        path: `/${service}/${WORKDAY_VERSION}`,
        body: envelopeOf(settings, operation, request),
        headers: { 'content-type': 'text/xml; charset=utf-8', accept: 'text/xml', soapaction: '""' },
        responseType: 'text',
        idempotent: o.idempotent,
      })
    ).data;
  } catch (e) {
    throw workdayError(e);
  }
}

/** Calls one operation of a Workday service and returns the response element (e.g. Manage_Skills_Response). */
export async function callWorkday(http: HttpClient, settings: WorkdaySettings, service: 'Human_Resources' | 'Talent', operation: string, request: XmlNode, o: { idempotent?: boolean } = {}): Promise<XmlNode> {
  const text = await callWorkdayText(http, settings, service, operation, request, o);
  let doc: XmlNode;
  try {
    doc = parser.parse(text) as XmlNode;
  } catch (e) {
    throw WorkdayErrors.BAD_RESPONSE.create({ detail: (e as Error).message, cause: e });
  }
  const response = ((doc.Envelope as XmlNode | undefined)?.Body as XmlNode | undefined)?.[`${operation}_Response`];
  if (!response || typeof response !== 'object') throw WorkdayErrors.BAD_RESPONSE.create({ detail: `no ${operation}_Response in the answer` });
  return response as XmlNode;
}
