"""Cuts Workday's published Human_Resources schema down to what the simulator and its tests use: the
components reachable from the given global elements and types (nothing inside them is changed).

Run once, by hand (python3, standard library only):
  python3 extract-subset.py Human_Resources.xsd Human_Resources-v30.0-subset.xsd \
      Get_Workers_Request,Get_Workers_Response,Validation_Fault,Processing_Fault SkillType
Source: see README.md beside this file.
"""
import sys
import xml.etree.ElementTree as ET

XS = 'http://www.w3.org/2001/XMLSchema'
KINDS = ['complexType', 'simpleType', 'element', 'attributeGroup', 'group', 'attribute']


def refs(el):
    out = set()
    for e in el.iter():
        for a in ('type', 'base', 'ref', 'itemType', 'memberTypes'):
            for t in (e.get(a) or '').split():
                if t.startswith('wd:'):
                    out.add(t[3:])
    return out


def main(src, out, roots, extra_types):
    schema = ET.parse(src).getroot()
    byname = {}
    for child in schema:
        if child.get('name'):
            byname.setdefault(child.get('name'), []).append(child)
    keep, seen = [], set()
    todo = [r for r in roots + extra_types]
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        for c in byname.get(n, []):
            # Root names are elements; referenced names may be types, elements or attributes of that name.
            if n in roots and not c.tag.endswith('}element'):
                continue
            keep.append(c)
            todo.extend(refs(c))
    for child in list(schema):
        if child not in keep:
            schema.remove(child)
    ET.register_namespace('xsd', XS)
    ET.register_namespace('wd', 'urn:com.workday/bsvc')
    body = ET.tostring(schema, encoding='unicode')
    with open(out, 'w', encoding='utf-8') as f:
        f.write("<?xml version='1.0' encoding='UTF-8'?>\n")
        f.write('<!-- A subset of Workday Web Services Human_Resources v30.0 (the components reachable from '
                + ', '.join(roots + extra_types) + '), cut by extract-subset.py; source in README.md. -->\n')
        f.write(body)
    print(len(keep), 'components')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2], sys.argv[3].split(','), sys.argv[4].split(',') if len(sys.argv) > 4 else [])
