/**
 * The sObjects of the simulated org and their `describe` answers.
 * Describe: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm
 * Field types and properties (DescribeFieldResult): https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_describesobjects_describesobjectresult.htm
 * User: https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_user.htm
 * Contact (ReportsToId, no ManagerId): https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_contact.htm
 * Custom objects and fields end in __c: https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_custom_objects.htm
 */
export type FieldType = 'id' | 'string' | 'email' | 'boolean' | 'datetime' | 'date' | 'double' | 'reference' | 'picklist' | 'textarea' | 'phone';

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  length?: number;
  /** reference fields: the objects it points to and the relationship name used in SOQL (ReportsTo.Email). */
  referenceTo?: string[];
  relationshipName?: string;
  externalId?: boolean;
  unique?: boolean;
  /** Required on create (nillable false and createable). */
  required?: boolean;
  /** System fields cannot be written. */
  system?: boolean;
  picklistValues?: string[];
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  fields: FieldDef[];
}

const sys = (name: string, label: string, type: FieldType = 'datetime'): FieldDef => ({ name, label, type, system: true });
const SYSTEM_FIELDS: FieldDef[] = [
  { name: 'Id', label: 'Record ID', type: 'id', system: true },
  sys('IsDeleted', 'Deleted', 'boolean'),
  sys('CreatedDate', 'Created Date'),
  sys('LastModifiedDate', 'Last Modified Date'),
  sys('SystemModstamp', 'System Modstamp'),
];

const str = (name: string, label: string, length = 80, more: Partial<FieldDef> = {}): FieldDef => ({ name, label, type: 'string', length, ...more });

export const USER: ObjectDef = {
  name: 'User',
  label: 'User',
  labelPlural: 'Users',
  keyPrefix: '005',
  custom: false,
  fields: [
    ...SYSTEM_FIELDS,
    str('Username', 'Username', 80, { required: true, unique: true }),
    str('FirstName', 'First Name', 40),
    str('LastName', 'Last Name', 80, { required: true }),
    { name: 'Name', label: 'Full Name', type: 'string', length: 121, system: true },
    { name: 'Email', label: 'Email', type: 'email', length: 128, required: true },
    { name: 'IsActive', label: 'Active', type: 'boolean' },
    str('Title', 'Title'),
    str('Department', 'Department'),
    str('Division', 'Division'),
    str('EmployeeNumber', 'Employee Number', 20),
    str('City', 'City', 40),
    str('Country', 'Country', 80),
    { name: 'ManagerId', label: 'Manager ID', type: 'reference', referenceTo: ['User'], relationshipName: 'Manager' },
  ],
};

export const CONTACT: ObjectDef = {
  name: 'Contact',
  label: 'Contact',
  labelPlural: 'Contacts',
  keyPrefix: '003',
  custom: false,
  fields: [
    ...SYSTEM_FIELDS,
    str('FirstName', 'First Name', 40),
    str('LastName', 'Last Name', 80, { required: true }),
    { name: 'Name', label: 'Full Name', type: 'string', length: 121, system: true },
    { name: 'Email', label: 'Email', type: 'email', length: 80 },
    str('Title', 'Title', 128),
    str('Department', 'Department'),
    { name: 'Phone', label: 'Business Phone', type: 'phone', length: 40 },
    { name: 'LeadSource', label: 'Lead Source', type: 'picklist', length: 255, picklistValues: ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'] },
    str('MailingCity', 'Mailing City', 40),
    str('MailingCountry', 'Mailing Country', 80),
    { name: 'ReportsToId', label: 'Reports To ID', type: 'reference', referenceTo: ['Contact'], relationshipName: 'ReportsTo' },
    { name: 'Partner_Level__c', label: 'Partner Level', type: 'picklist', length: 255, picklistValues: ['Gold', 'Silver', 'Bronze'] },
    str('Region__c', 'Region', 40),
  ],
};

/** The learning-record object an admin creates from the spec's package (and may rename): one row per enrollment. */
export function learningRecordObject(name = 'Learning_Transcript__c', label = 'Learning Transcript'): ObjectDef {
  return {
    name,
    label,
    labelPlural: `${label}s`,
    keyPrefix: 'a0' + String.fromCharCode(65 + (name.length % 26)),
    custom: true,
    fields: [
      ...SYSTEM_FIELDS,
      str('Name', `${label} Name`, 80),
      str('External_Id__c', 'External Id', 255, { externalId: true, unique: true }),
      { name: 'User__c', label: 'User', type: 'reference', referenceTo: ['User'], relationshipName: 'User__r' },
      { name: 'Contact__c', label: 'Contact', type: 'reference', referenceTo: ['Contact'], relationshipName: 'Contact__r' },
      str('Learner_Email__c', 'Learner Email', 128),
      str('Training_Name__c', 'Training Name', 255),
      str('LO_ID__c', 'LO ID', 64),
      str('Type__c', 'Type', 64),
      str('Instance__c', 'Instance', 255),
      str('Embedded_Path__c', 'Embedded Path', 255),
      str('Embedded_Path_ID__c', 'Embedded Path ID', 64),
      str('Embedded_Course_ID__c', 'Embedded Course ID', 64),
      str('Status__c', 'Status', 40),
      { name: 'Progress__c', label: 'Progress (%)', type: 'double' },
      { name: 'Score__c', label: 'Score', type: 'double' },
      { name: 'Time_Spent__c', label: 'Time Spent (seconds)', type: 'double' },
      { name: 'Enrollment_Date__c', label: 'Enrollment Date', type: 'datetime' },
      { name: 'Start_Date__c', label: 'Start Date', type: 'datetime' },
      { name: 'Completion_Date__c', label: 'Completion Date', type: 'datetime' },
      { name: 'Unenrollment_Date__c', label: 'Unenrollment Date', type: 'datetime' },
      { name: 'Skills__c', label: 'Skills', type: 'textarea', length: 32768 },
    ],
  };
}

const SOAP_TYPE: Record<FieldType, string> = {
  id: 'tns:ID', string: 'xsd:string', email: 'xsd:string', boolean: 'xsd:boolean', datetime: 'xsd:dateTime', date: 'xsd:date',
  double: 'xsd:double', reference: 'tns:ID', picklist: 'xsd:string', textarea: 'xsd:string', phone: 'xsd:string',
};

/** The DescribeSObjectResult of an object (the properties clients read; many more exist). */
export function describe(o: ObjectDef, version: string): Record<string, unknown> {
  const base = `/services/data/${version}/sobjects/${o.name}`;
  return {
    name: o.name,
    label: o.label,
    labelPlural: o.labelPlural,
    keyPrefix: o.keyPrefix,
    custom: o.custom,
    createable: true,
    updateable: true,
    deletable: true,
    queryable: true,
    retrieveable: true,
    searchable: true,
    replicateable: true,
    urls: { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` },
    fields: o.fields.map((f) => ({
      name: f.name,
      label: f.label,
      type: f.type,
      soapType: SOAP_TYPE[f.type],
      length: f.length ?? 0,
      custom: f.name.endsWith('__c'),
      nillable: !f.required && f.type !== 'boolean' && f.name !== 'Id',
      createable: !f.system,
      updateable: !f.system && !f.externalId,
      filterable: f.type !== 'textarea',
      sortable: f.type !== 'textarea',
      groupable: ['string', 'picklist', 'email', 'boolean', 'reference', 'id'].includes(f.type),
      unique: Boolean(f.unique),
      externalId: Boolean(f.externalId),
      idLookup: f.name === 'Id' || Boolean(f.externalId) || f.name === 'Email' || f.name === 'Username',
      referenceTo: f.referenceTo ?? [],
      relationshipName: f.relationshipName ?? null,
      picklistValues: (f.picklistValues ?? []).map((v) => ({ active: true, defaultValue: false, label: v, validFor: null, value: v })),
      defaultedOnCreate: f.system || f.type === 'boolean',
      calculated: f.name === 'Name' && f.system === true,
    })),
  };
}

/** The header every learning-record object of the spec's packages shares: Name, the external id, the two lookups. */
function recordObject(name: string, label: string, fields: FieldDef[]): ObjectDef {
  return {
    name,
    label,
    labelPlural: `${label}s`,
    keyPrefix: 'a1' + String.fromCharCode(65 + (name.length % 26)),
    custom: true,
    fields: [
      ...SYSTEM_FIELDS,
      str('Name', `${label} Name`, 80),
      str('External_Id__c', 'External Id', 255, { externalId: true, unique: true }),
      { name: 'User__c', label: 'User', type: 'reference', referenceTo: ['User'], relationshipName: 'User__r' },
      { name: 'Contact__c', label: 'Contact', type: 'reference', referenceTo: ['Contact'], relationshipName: 'Contact__r' },
      str('Learner_Email__c', 'Learner Email', 128),
      ...fields,
    ],
  };
}

/** The user report's object (the spec's second package): one row per learner. */
export function userReportObject(name = 'Learning_User_Report__c', label = 'Learning User Report'): ObjectDef {
  return recordObject(name, label, [str('Learner_Name__c', 'Learner Name', 255), str('User_Type__c', 'User Type', 40), str('User_State__c', 'User State', 40), str('Manager_Email__c', 'Manager Email', 128), str('Roles__c', 'Roles', 255)]);
}

/** The skill report's object (the spec's third package): one row per skill level a learner achieved. */
export function skillReportObject(name = 'Learning_Skill_Report__c', label = 'Learning Skill Report'): ObjectDef {
  return recordObject(name, label, [
    str('Skill__c', 'Skill', 255),
    str('Skill_Level__c', 'Skill Level', 40),
    str('Level_Name__c', 'Level Name', 255),
    { name: 'Credits__c', label: 'Credits', type: 'double' },
    { name: 'Max_Credits__c', label: 'Max Credits', type: 'double' },
    { name: 'Date_Achieved__c', label: 'Date Achieved', type: 'datetime' },
    str('Training_LO_ID__c', 'Training LO ID', 64),
    str('Training_Name__c', 'Training Name', 255),
  ]);
}
