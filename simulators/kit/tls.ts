import forge from 'node-forge';

/** A certificate authority made for one simulator run: clients trust `certPem` (undici Agent `connect: { ca }`). */
export interface SimCa {
  certPem: string;
  keyPem: string;
}

export interface SimCert {
  certPem: string;
  keyPem: string;
}

const DAY = 24 * 3600 * 1000;

function serial(): string {
  // Positive, 16 random bytes (RFC 5280 §4.1.2.2: positive, at most 20 octets).
  return '01' + forge.util.bytesToHex(forge.random.getBytesSync(15));
}

/**
 * A fresh CA (RSA 2048, valid from a day ago for 30 days). Node's crypto can read certificates but not
 * write them, hence node-forge (its RSA key generation uses Node's native crypto when available).
 */
export function generateCa(commonName = 'lmc simulator CA'): SimCa {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - DAY);
  cert.validity.notAfter = new Date(Date.now() + 30 * DAY);
  const name = [{ name: 'commonName', value: commonName }, { name: 'organizationName', value: 'lmc tests' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}

/** A server certificate signed by `ca` for these host names and IP addresses (default localhost, 127.0.0.1, ::1). */
export function issueServerCert(ca: SimCa, hosts: string[] = ['localhost', '127.0.0.1', '::1']): SimCert {
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - DAY);
  cert.validity.notAfter = new Date(Date.now() + 30 * DAY);
  cert.setSubject([{ name: 'commonName', value: hosts[0] }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: hosts.map((h) => (/^[\d.]+$|:/.test(h) ? { type: 7, ip: h } : { type: 2, value: h })) },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}
