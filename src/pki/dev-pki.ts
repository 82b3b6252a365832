import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';

import { generateKeyPair } from './generate-key-pair.ts';
import { issueCertificate } from './issue-certificate.ts';
import { issueClientCertificate, type CertificateWithKey } from './issue-client-certificate.ts';

/** The development PKI, as PEM, and whether this call had to write any of it. */
export interface DevPki {
  caCertificatePem: string;
  caPrivateKeyPem: string;
  serverCertificatePem: string;
  serverPrivateKeyPem: string;
  sampleClientCertificatePem: string;
  sampleClientPrivateKeyPem: string;
  generated: boolean;
}

/** A certificate this close to its end is replaced now rather than fail a demo next week. */
const renewWithinMs = 7 * 24 * 60 * 60 * 1000;

/** Always on the server certificate, so that `https://localhost` and loopback IPs just work. */
const loopbackNames = ['localhost', '127.0.0.1', '::1'];

const devOrganization = 'Portcullis (development only)';

/**
 * Makes sure `certsDir` holds a working development PKI and returns it:
 * - `dev-ca.pem`/`.key`: a CA, RSA 2048 like the Open Banking directory CAs, which every TLS stack
 *   accepts; valid 10 years;
 * - `server.pem`/`.key`: a P-256 TLS certificate for `hostnames` plus localhost and the loopback
 *   addresses, valid 1 year;
 * - `sample-client.pem`/`.key`: a partner transport certificate (CN=sample-tpp, O=Sample TPP Ltd,
 *   OU an organisation id, as Open Banking directories issue them), valid 1 year.
 *
 * Files that still work are kept, so a browser exception or a trusted CA survives restarts. Each
 * certificate is replaced on its own when it is missing, unreadable, within 7 days of expiry, not
 * issued by the current CA, or (the server's) missing one of the hostnames; a new CA therefore
 * replaces both leaves. Private keys are written with mode 0600.
 *
 * Development only: anyone with these files can impersonate the server or any partner.
 *
 * @param certsDir folder for the six files; created if missing.
 * @param hostnames names (or IP addresses) the server answers on besides the loopback ones; the
 *   first becomes the server certificate's common name.
 * @param now the moment renewal is judged against; tests move it forward.
 *
 * @example
 * const pki = await ensureDevPki(config.certsDir, [new URL(config.issuer).hostname]);
 */
export async function ensureDevPki(certsDir: string, hostnames: string[], now: Date = new Date()): Promise<DevPki> {
  await mkdir(certsDir, { recursive: true });
  const serverNames = [...new Set([...hostnames, ...loopbackNames])];
  let generated = false;

  async function ensure(name: string, usable: (pair: CertificateWithKey) => boolean, issue: () => CertificateWithKey) {
    const stored = await readPair(certsDir, name);
    if (stored && usable(stored)) return stored;
    const fresh = issue();
    await writePair(certsDir, name, fresh);
    generated = true;
    return fresh;
  }

  const ca = await ensure('dev-ca', (pair) => stillUsable(pair, now), issueDevCa);
  const issuedByCa = (pair: CertificateWithKey) => stillUsable(pair, now, ca.certificatePem);
  const server = await ensure(
    'server',
    (pair) => issuedByCa(pair) && coversNames(pair.certificatePem, serverNames),
    () => issueServerCertificate(ca, serverNames),
  );
  const sampleClient = await ensure('sample-client', issuedByCa, () => issueClientCertificate(ca, {
    commonName: 'sample-tpp',
    organizationName: 'Sample TPP Ltd',
    organizationalUnitName: '00158000SAMPLETPP1',
    countryName: 'GB',
  }));

  return {
    caCertificatePem: ca.certificatePem,
    caPrivateKeyPem: ca.privateKeyPem,
    serverCertificatePem: server.certificatePem,
    serverPrivateKeyPem: server.privateKeyPem,
    sampleClientCertificatePem: sampleClient.certificatePem,
    sampleClientPrivateKeyPem: sampleClient.privateKeyPem,
    generated,
  };
}

function issueDevCa(): CertificateWithKey {
  const { privateKeyPem } = generateKeyPair('rsa');
  const subject = { commonName: 'Portcullis Development CA', organizationName: devOrganization, countryName: 'GB' };
  return { certificatePem: issueCertificate({ subject, profile: 'ca', privateKeyPem, validDays: 3650 }), privateKeyPem };
}

function issueServerCertificate(ca: CertificateWithKey, names: string[]): CertificateWithKey {
  const { privateKeyPem, publicKeyPem } = generateKeyPair('ec');
  const certificatePem = issueCertificate({
    subject: { commonName: names[0], organizationName: devOrganization },
    profile: 'server',
    dnsNames: names.filter((name) => isIP(name) === 0),
    ipAddresses: names.filter((name) => isIP(name) !== 0),
    publicKeyPem,
    issuer: ca,
    validDays: 365,
  });
  return { certificatePem, privateKeyPem };
}

/** The key matches, the certificate lives beyond the renewal window and, if given, the CA signed it. */
function stillUsable(pair: CertificateWithKey, now: Date, issuerPem?: string): boolean {
  try {
    const certificate = new X509Certificate(pair.certificatePem);
    if (!certificate.checkPrivateKey(createPrivateKey(pair.privateKeyPem))) return false;
    if (certificate.validToDate.getTime() - now.getTime() < renewWithinMs) return false;
    if (!issuerPem) return true;
    const issuer = new X509Certificate(issuerPem);
    return certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function coversNames(certificatePem: string, names: string[]): boolean {
  const certificate = new X509Certificate(certificatePem);
  return names.every((name) => (isIP(name) ? certificate.checkIP(name) : certificate.checkHost(name, { subject: 'never' })) !== undefined);
}

async function readPair(dir: string, name: string): Promise<CertificateWithKey | undefined> {
  try {
    const [certificatePem, privateKeyPem] = await Promise.all([
      readFile(join(dir, `${name}.pem`), 'utf8'),
      readFile(join(dir, `${name}.key`), 'utf8'),
    ]);
    return { certificatePem, privateKeyPem };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function writePair(dir: string, name: string, pair: CertificateWithKey): Promise<void> {
  const keyFile = join(dir, `${name}.key`);
  // `mode` only applies when a file is created, so an old key file is removed first rather than
  // overwritten with whatever permissions it had.
  await rm(keyFile, { force: true });
  await writeFile(keyFile, pair.privateKeyPem, { mode: 0o600 });
  await writeFile(join(dir, `${name}.pem`), pair.certificatePem);
}
