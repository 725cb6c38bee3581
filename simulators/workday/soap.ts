/**
 * SOAP 1.1 as Workday Web Services speak it: envelopes in http://schemas.xmlsoap.org/soap/envelope/, the body
 * in urn:com.workday/bsvc, WS-Security UsernameToken (PasswordText) in the header, and faults with HTTP 500
 * (SOAP 1.1 §6.2, https://www.w3.org/TR/2000/NOTE-SOAP-20000508/#_Toc478383529):
 *  - SOAP-ENV:Client.authenticationError, "invalid username or password" (no detail);
 *  - SOAP-ENV:Client.validationError with detail wd:Validation_Fault (Validation_Error: Message, Detail_Message, Xpath);
 *  - SOAP-ENV:Client.processingError with detail wd:Processing_Fault (Detail_Message);
 *  - SOAP-ENV:Server (no detail) when the service is busy or down (HTTP 429/5xx): try again later.
 * Fault elements: Human_Resources Validation_FaultType / Processing_FaultType (wsdl/README.md); Workday's
 * description of its faults: https://community.workday.com/sites/default/files/file-hosting/productionapi/index.html
 * Parsing and building go through fast-xml-parser (no hand-written XML).
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { writeXml } from './xml-writer.ts';

export const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
export const WD = 'urn:com.workday/bsvc';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', textNodeName: '$', removeNSPrefix: true, parseTagValue: false, parseAttributeValue: false, trimValues: true });
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', textNodeName: '$', suppressEmptyNode: true });

export type XmlNode = Record<string, unknown>;

/** The parts of a request envelope the simulator reads (namespace prefixes removed). */
export interface SoapRequest {
  username?: string;
  password?: string;
  /** The body's operation element name (e.g. Get_Workers_Request) and its content. */
  operation?: string;
  body?: XmlNode;
  /** The body element as sent, for schema validation in tests. */
  raw: string;
}

export function parseEnvelope(xml: string): SoapRequest {
  const doc = parser.parse(xml) as XmlNode;
  const env = (doc.Envelope ?? {}) as XmlNode;
  const token = (((env.Header as XmlNode | undefined)?.Security as XmlNode | undefined)?.UsernameToken ?? {}) as XmlNode;
  const text = (v: unknown) => (v && typeof v === 'object' ? String((v as XmlNode).$ ?? '') : v === undefined ? undefined : String(v));
  const body = (env.Body ?? {}) as XmlNode;
  const operation = Object.keys(body).find((k) => !k.startsWith('@'));
  return { username: text(token.Username), password: text(token.Password), operation, body: operation ? ((body[operation] ?? {}) as XmlNode) : undefined, raw: xml };
}

/** The body element of an envelope as its own document (xmlns declared on it), for xmllint. */
export function bodyElementXml(envelopeXml: string): string {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false, preserveOrder: true }).parse(envelopeXml) as XmlNode[];
  const env = doc.find((n) => Object.keys(n).some((k) => k.endsWith('Envelope'))) as XmlNode;
  const envKey = Object.keys(env).find((k) => k.endsWith('Envelope'))!;
  const bodyNode = (env[envKey] as XmlNode[]).find((n) => Object.keys(n).some((k) => k.endsWith('Body'))) as XmlNode;
  const bodyKey = Object.keys(bodyNode).find((k) => k.endsWith('Body'))!;
  const first = (bodyNode[bodyKey] as XmlNode[]).find((n) => Object.keys(n).some((k) => !k.startsWith(':@') && k !== '#text')) as XmlNode;
  const attrs = { ...((first[':@'] as XmlNode | undefined) ?? {}), '@xmlns:wd': WD };
  return new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', preserveOrder: true }).build([{ ...first, ':@': attrs }]) as string;
}

/** A response envelope around one wd: body element (a builder object). */
export function envelope(bodyElement: string, content: XmlNode): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    writeXml('env:Envelope', { '@xmlns:env': SOAP_ENV, 'env:Body': { [bodyElement]: { '@xmlns:wd': WD, ...content } } })
  );
}

export type FaultKind = 'authentication' | 'validation' | 'processing' | 'server';

/** A SOAP fault envelope as Workday sends it (HTTP 500). */
export function faultEnvelope(kind: FaultKind, message: string, xpath?: string): string {
  const code = { authentication: 'SOAP-ENV:Client.authenticationError', validation: 'SOAP-ENV:Client.validationError', processing: 'SOAP-ENV:Client.processingError', server: 'SOAP-ENV:Server' }[kind];
  const detail =
    kind === 'validation'
      ? { detail: { 'wd:Validation_Fault': { '@xmlns:wd': WD, 'wd:Validation_Error': { 'wd:Message': message, 'wd:Detail_Message': message, ...(xpath ? { 'wd:Xpath': xpath } : {}) } } } }
      : kind === 'processing'
        ? { detail: { 'wd:Processing_Fault': { '@xmlns:wd': WD, 'wd:Detail_Message': message } } }
        : {};
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    builder.build({ 'SOAP-ENV:Envelope': { '@xmlns:SOAP-ENV': SOAP_ENV, 'SOAP-ENV:Body': { 'SOAP-ENV:Fault': { faultcode: code, faultstring: message, ...detail } } } })
  );
}

/** Value of a child element (text, or the element's $), or undefined. */
export function textOf(node: unknown, key: string): string | undefined {
  const v = node && typeof node === 'object' ? (node as XmlNode)[key] : undefined;
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object') return (v as XmlNode).$ === undefined ? undefined : String((v as XmlNode).$);
  return String(v);
}

export const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
