import { XMLParser } from 'fast-xml-parser';
import type { SourceField } from '../../kit/user-source.ts';

/**
 * The user fields the mapping page offers, read from Graph's CSDL ($metadata, OData v4 EDMX):
 * https://learn.microsoft.com/graph/traverse-the-graph#microsoft-graph-api-metadata. Properties of
 * microsoft.graph.user and its base types; a complex property (onPremisesExtensionAttributes, employeeOrgData)
 * gives one field per primitive sub-property (`onPremisesExtensionAttributes.extensionAttribute1`);
 * a collection of strings (businessPhones, otherMails) is one field, its values joined with "; ".
 */

interface CsdlProperty {
  Name: string;
  Type: string;
}
interface CsdlType {
  Name: string;
  BaseType?: string;
  Property?: CsdlProperty[];
}
interface CsdlSchema {
  Namespace: string;
  Alias?: string;
  EntityType?: CsdlType[];
  ComplexType?: CsdlType[];
}

const LISTS = new Set(['Schema', 'EntityType', 'ComplexType', 'Property', 'NavigationProperty']);

/** Edm primitive -> the mapping's field type; undefined: not offered (binary, streams, geography). */
function primitiveType(edm: string, name: string): SourceField['type'] | undefined {
  switch (edm) {
    case 'Edm.String':
    case 'Edm.Guid':
      return /mail|userPrincipalName/i.test(name) ? 'email' : 'string';
    case 'Edm.Boolean':
      return 'boolean';
    case 'Edm.Byte':
    case 'Edm.SByte':
    case 'Edm.Int16':
    case 'Edm.Int32':
    case 'Edm.Int64':
    case 'Edm.Single':
    case 'Edm.Double':
    case 'Edm.Decimal':
      return 'number';
    case 'Edm.Date':
    case 'Edm.DateTimeOffset':
      return 'date';
    default:
      return undefined;
  }
}

/** "onPremisesExtensionAttributes" -> "On premises extension attributes"; "extensionAttribute1" -> "Extension attribute 1". */
export function humanizeProperty(name: string): string {
  const words = name.replace(/([a-z])([A-Z0-9])/g, '$1 $2').replace(/([0-9])([A-Za-z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The fields of the manager, read with `$expand=manager($select=id,mail,userPrincipalName)`. */
export const MANAGER_FIELDS: SourceField[] = [
  { name: 'manager.mail', label: "Manager's email (mail)", type: 'email' },
  { name: 'manager.userPrincipalName', label: "Manager's user principal name", type: 'email' },
];

/**
 * The fields of microsoft.graph.user in a CSDL document.
 * @example fieldsFromCsdl(await http.get('/$metadata', { responseType: 'text' }))
 */
export function fieldsFromCsdl(xml: string): SourceField[] {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: true, isArray: (n) => LISTS.has(n) }).parse(xml) as {
    Edmx?: { DataServices?: { Schema?: CsdlSchema[] } };
  };
  const schemas = doc.Edmx?.DataServices?.Schema ?? [];
  const graph = schemas.find((s) => s.Namespace === 'microsoft.graph');
  if (!graph) throw new Error('the $metadata document has no microsoft.graph schema');
  const prefixes = [`${graph.Namespace}.`, ...(graph.Alias ? [`${graph.Alias}.`] : [])];
  const local = (t: string) => prefixes.reduce((x, p) => (x.startsWith(p) ? x.slice(p.length) : x), t);
  const entity = (n: string) => graph.EntityType?.find((t) => t.Name === n);
  const complex = (n: string) => graph.ComplexType?.find((t) => t.Name === n);

  // user, then its base types (directoryObject, entity): every property the entity has.
  const chain: CsdlType[] = [];
  for (let t = entity('user'); t && chain.length < 10; t = t.BaseType ? entity(local(t.BaseType)) : undefined) chain.push(t);
  if (!chain.length) throw new Error('the $metadata document has no user entity type');
  const props = chain.reverse().flatMap((t) => t.Property ?? []);

  const out: SourceField[] = [];
  for (const p of props) {
    const collection = /^Collection\((.+)\)$/.exec(p.Type);
    const type = collection ? collection[1] : p.Type;
    const prim = primitiveType(type, p.Name);
    if (prim) {
      // A list of strings is offered as one text value; lists of other kinds are not.
      if (!collection || prim === 'string' || prim === 'email') out.push({ name: p.Name, label: humanizeProperty(p.Name), type: collection ? 'string' : prim });
      continue;
    }
    const c = !collection ? complex(local(type)) : undefined;
    for (const sub of c?.Property ?? []) {
      const subType = primitiveType(sub.Type, sub.Name);
      if (subType) out.push({ name: `${p.Name}.${sub.Name}`, label: `${humanizeProperty(p.Name)}: ${humanizeProperty(sub.Name).toLowerCase()}`, type: subType });
    }
  }
  // Extension attributes 1..15 in their numeric order (the CSDL sorts them as text: 1, 10, 11, ..., 2).
  const slots = out.flatMap((f, i) => (f.name.startsWith('onPremisesExtensionAttributes.') ? [i] : []));
  const ordered = slots.map((i) => out[i]).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  slots.forEach((i, k) => (out[i] = ordered[k]));
  return [...out, ...MANAGER_FIELDS];
}
