/**
 * GET /v1.0/$metadata: the CSDL (OData v4 EDMX) document, reduced to microsoft.graph.user with the properties
 * this simulator serves. https://learn.microsoft.com/graph/traverse-the-graph#microsoft-graph-api-metadata
 *
 * The names and Edm types below are extracted from Microsoft's published metadata, not invented:
 * github.com/microsoftgraph/msgraph-metadata, clean_v10_metadata/cleanMetadata.xml at commit
 * f54f11b60956ea7b185ca0447b2b80805836ec7b (2026-08-20), EntityType "user" (BaseType graph.directoryObject,
 * id from graph.entity) and ComplexType "onPremisesExtensionAttributes". That repository is MIT licensed
 * (Copyright (c) 2018 Microsoft Graph). Only this extract is vendored; the full file is 3.5 MB.
 */

/** The user properties served (name -> Edm type), as in cleanMetadata.xml. */
export const USER_PROPERTIES: Record<string, string> = {
  id: 'Edm.String',
  accountEnabled: 'Edm.Boolean',
  businessPhones: 'Collection(Edm.String)',
  createdDateTime: 'Edm.DateTimeOffset',
  department: 'Edm.String',
  displayName: 'Edm.String',
  employeeId: 'Edm.String',
  givenName: 'Edm.String',
  jobTitle: 'Edm.String',
  mail: 'Edm.String',
  mobilePhone: 'Edm.String',
  officeLocation: 'Edm.String',
  onPremisesExtensionAttributes: 'graph.onPremisesExtensionAttributes',
  preferredLanguage: 'Edm.String',
  surname: 'Edm.String',
  userPrincipalName: 'Edm.String',
};

/** The navigation property served ($expand=manager). */
export const USER_NAVIGATION = { manager: 'graph.directoryObject' } as const;

export const EXTENSION_ATTRIBUTES = Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}`);

export function metadataXml(): string {
  const props = Object.entries(USER_PROPERTIES)
    .filter(([n]) => n !== 'id')
    .map(([n, t]) => `        <Property Name="${n}" Type="${t}"${t.startsWith('Collection(') ? ' Nullable="false"' : ''} />`);
  const ext = EXTENSION_ATTRIBUTES.map((n) => `        <Property Name="${n}" Type="Edm.String" />`);
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">',
    '  <edmx:DataServices>',
    '    <Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">',
    '      <ComplexType Name="onPremisesExtensionAttributes">',
    ...ext,
    '      </ComplexType>',
    '      <EntityType Name="entity" Abstract="true">',
    '        <Key>',
    '          <PropertyRef Name="id" />',
    '        </Key>',
    '        <Property Name="id" Type="Edm.String" Nullable="false" />',
    '      </EntityType>',
    '      <EntityType Name="directoryObject" BaseType="graph.entity" OpenType="true">',
    '        <Property Name="deletedDateTime" Type="Edm.DateTimeOffset" />',
    '      </EntityType>',
    '      <EntityType Name="user" BaseType="graph.directoryObject" OpenType="true">',
    ...props,
    '        <NavigationProperty Name="manager" Type="graph.directoryObject" />',
    '      </EntityType>',
    '      <EntityContainer Name="GraphService">',
    '        <EntitySet Name="users" EntityType="microsoft.graph.user" />',
    '      </EntityContainer>',
    '    </Schema>',
    '  </edmx:DataServices>',
    '</edmx:Edmx>',
    '',
  ].join('\n');
}
