import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bodyElementXml } from '../../../simulators/workday/soap.ts';

const wsdlDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../simulators/workday/wsdl');
/** Workday's published Human_Resources schema (the v30.0 subset, see its README). */
export const HR_XSD = path.join(wsdlDir, 'Human_Resources-v30.0-subset.xsd');
/** The Talent service's Put_Skill and Manage_Skills, from the Talent WSDL (see the README). */
export const TALENT_XSD = path.join(wsdlDir, 'Talent-skills.xsd');

/**
 * Validates the body element of SOAP envelopes against an XSD with xmllint (Debian: libxml2-utils); returns
 * xmllint's complaints ('' when every body is valid).
 */
export async function validateBodies(envelopes: string[], xsd: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lmc-wd-xsd-'));
  try {
    const files: string[] = [];
    for (const [i, env] of envelopes.entries()) {
      const f = path.join(dir, `body-${i}.xml`);
      await fs.writeFile(f, bodyElementXml(env));
      files.push(f);
    }
    try {
      await promisify(execFile)('xmllint', ['--noout', '--schema', xsd, ...files], { maxBuffer: 64 * 1024 * 1024 });
      return '';
    } catch (e) {
      return String((e as { stderr?: string }).stderr ?? e);
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
