/**
 * The SCIM 2.0 schema resources a miniOrange tenant's SCIM endpoint describes itself with (GET /Schemas,
 * GET /ResourceTypes, GET /ServiceProviderConfig): RFC 7643 §5-§7 and §8.7 (the core User schema and the
 * enterprise extension), RFC 7644 §4 (discovery endpoints answer a ListResponse).
 *   https://datatracker.ietf.org/doc/html/rfc7643#section-8.7.1 (core User attributes, reduced to those served)
 *   https://datatracker.ietf.org/doc/html/rfc7643#section-4.3 (enterprise User extension)
 * miniOrange lets an admin add custom user attributes in its console; how its SCIM endpoint names their schema
 * is not published, so the simulator puts them in an extension schema of its own (CUSTOM_SCHEMA): the
 * connector finds extensions through /ResourceTypes and /Schemas and never relies on this name.
 */
export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const CUSTOM_SCHEMA = 'urn:miniorange:params:scim:schemas:extension:CustomAttributes:2.0:User';
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

interface Attr {
  name: string;
  type: 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex';
  multiValued?: boolean;
  description?: string;
  mutability?: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned?: 'always' | 'never' | 'default' | 'request';
  canonicalValues?: string[];
  subAttributes?: Attr[];
}

const s = (name: string, description: string, extra: Partial<Attr> = {}): Attr => ({ name, type: 'string', description, ...extra });
const typed = (types: string[]) => [s('type', 'A label indicating the function', { canonicalValues: types }), { name: 'primary', type: 'boolean' as const, description: 'The primary value' }];

const CORE_ATTRIBUTES: Attr[] = [
  s('userName', 'Unique identifier for the User, typically used to sign in'),
  { name: 'name', type: 'complex', description: "The components of the user's real name", subAttributes: [s('formatted', 'The full name'), s('familyName', 'The family name'), s('givenName', 'The given name'), s('middleName', 'The middle name'), s('honorificPrefix', 'The honorific prefix'), s('honorificSuffix', 'The honorific suffix')] },
  s('displayName', 'The name of the User, suitable for display'),
  s('nickName', 'The casual way to address the user'),
  s('title', "The user's title, such as \"Vice President\""),
  s('userType', 'The relationship between the organization and the user'),
  s('preferredLanguage', "The User's preferred written or spoken language"),
  s('locale', "The User's default location"),
  s('timezone', "The User's time zone in the IANA format"),
  { name: 'active', type: 'boolean', description: "The User's administrative status" },
  { name: 'password', type: 'string', mutability: 'writeOnly', returned: 'never', description: "The User's cleartext password" },
  { name: 'emails', type: 'complex', multiValued: true, description: 'Email addresses for the user', subAttributes: [s('value', 'Email address'), s('display', 'A human-readable name'), ...typed(['work', 'home', 'other'])] },
  { name: 'phoneNumbers', type: 'complex', multiValued: true, description: 'Phone numbers for the User', subAttributes: [s('value', 'Phone number'), s('display', 'A human-readable name'), ...typed(['work', 'home', 'mobile', 'fax', 'pager', 'other'])] },
  { name: 'addresses', type: 'complex', multiValued: true, description: 'A physical mailing address for this User', subAttributes: [s('formatted', 'The full mailing address'), s('streetAddress', 'The full street address'), s('locality', 'The city or locality'), s('region', 'The state or region'), s('postalCode', 'The zip code or postal code'), s('country', 'The country name (ISO 3166-1 alpha-2)'), ...typed(['work', 'home', 'other'])] },
  { name: 'groups', type: 'complex', multiValued: true, mutability: 'readOnly', description: 'A list of groups to which the user belongs', subAttributes: [s('value', 'The identifier of the group'), { name: '$ref', type: 'reference', description: 'The URI of the group' }, s('display', 'A human-readable name')] },
];

const ENTERPRISE_ATTRIBUTES: Attr[] = [
  s('employeeNumber', 'Numeric or alphanumeric identifier assigned to a person'),
  s('costCenter', 'Identifies the name of a cost center'),
  s('organization', 'Identifies the name of an organization'),
  s('division', 'Identifies the name of a division'),
  s('department', 'Identifies the name of a department'),
  { name: 'manager', type: 'complex', description: "The User's manager", subAttributes: [s('value', 'The id of the SCIM resource representing the manager'), { name: '$ref', type: 'reference', description: "The URI of the manager's resource" }, s('displayName', 'The displayName of the manager', { mutability: 'readOnly' })] },
];

/** The tenant's custom user attributes (what the admin added in the console). */
export const CUSTOM_ATTRIBUTES: Attr[] = [
  s('badgeNumber', 'Badge number'),
  s('businessUnit', 'Business unit'),
  { name: 'contractor', type: 'boolean', description: 'Works under a contract' },
  { name: 'hireDate', type: 'dateTime', description: 'Hire date' },
];

function schema(id: string, name: string, description: string, attributes: Attr[], base: string) {
  const fill = (a: Attr): Record<string, unknown> => ({
    multiValued: false, required: a.name === 'userName', caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: a.name === 'userName' ? 'server' : 'none',
    ...a,
    ...(a.subAttributes ? { subAttributes: a.subAttributes.map(fill) } : {}),
  });
  return { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'], id, name, description, attributes: attributes.map(fill), meta: { resourceType: 'Schema', location: `${base}/Schemas/${id}` } };
}

export function userSchemas(base: string) {
  return [
    schema(CORE_USER, 'User', 'User Account', CORE_ATTRIBUTES, base),
    schema(ENTERPRISE_USER, 'EnterpriseUser', 'Enterprise User', ENTERPRISE_ATTRIBUTES, base),
    schema(CUSTOM_SCHEMA, 'CustomAttributes', 'Custom user attributes of the tenant', CUSTOM_ATTRIBUTES, base),
  ];
}

export function resourceTypes(base: string) {
  return [{
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'], id: 'User', name: 'User', endpoint: '/Users', description: 'User Account', schema: CORE_USER,
    schemaExtensions: [{ schema: ENTERPRISE_USER, required: false }, { schema: CUSTOM_SCHEMA, required: false }],
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
  }];
}

/** RFC 7643 §5: what the endpoint supports (filtering yes, sorting/etag/bulk/patch no). */
export function serviceProviderConfig(base: string, maxResults: number) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    patch: { supported: false }, bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults }, changePassword: { supported: false }, sort: { supported: false }, etag: { supported: false },
    authenticationSchemes: [{ type: 'oauthbearertoken', name: 'OAuth Bearer Token', description: 'The Bearer Token of the SCIM app in the miniOrange console', primary: true }],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}
