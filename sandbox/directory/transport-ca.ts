import { X509Certificate, createPrivateKey } from 'node:crypto';
import { join } from 'node:path';

import { generateKeyPair } from '../../src/pki/generate-key-pair.ts';
import { issueCertificate, type CertificateIssuer } from '../../src/pki/issue-certificate.ts';
import { splitPemBundle } from '../../src/pki/pem-bundle.ts';
import { createOnce, readIfPresent, writeAtomically } from './directory-files.ts';

/**
 * The sandbox directory's trust anchor for transport certificates: a CA of its own, apart from
 * the development CA, as the Open Banking Directory runs its own issuing CA. It is made once and
 * kept (`transport-ca.key`, mode 0600: the key and the certificate in one file, so that two
 * processes starting together cannot pair one's key with the other's certificate); its public
 * certificate is rewritten at each start as `transport-ca.pem`, the file to trust.
 */

/** Ten years, like the development CA: a sandbox outlives a partner's one-year certificates. */
const CA_VALID_DAYS = 3650;

export const directoryCaName = 'Portcullis Sandbox Directory';

export interface TransportCa extends CertificateIssuer {
  /** The public certificate's file. */
  certificatePath: string;
}

/** Reads the CA under `dir`, or creates it there when absent (`dir` exists already). */
export async function loadOrCreateTransportCa(dir: string, now: Date = new Date()): Promise<TransportCa> {
  const keyPath = join(dir, 'transport-ca.key');
  const text = (await readIfPresent(keyPath)) ?? (await createOnce(keyPath, newCaFile()));
  const ca = readCaFile(keyPath, text, now);
  const certificatePath = join(dir, 'transport-ca.pem');
  await writeAtomically(certificatePath, ca.certificatePem);
  return { ...ca, certificatePath };
}

function newCaFile(): string {
  const { privateKeyPem } = generateKeyPair('rsa');
  const subject = { commonName: `${directoryCaName} Issuing CA`, organizationName: directoryCaName, countryName: 'GB' };
  return `${privateKeyPem}${issueCertificate({ subject, profile: 'ca', privateKeyPem, validDays: CA_VALID_DAYS })}`;
}

function readCaFile(keyPath: string, text: string, now: Date): CertificateIssuer {
  const [certificatePem] = splitPemBundle(text);
  const privateKeyPem = /-----BEGIN PRIVATE KEY-----[\s\S]*?-----END PRIVATE KEY-----\n/.exec(text)?.[0];
  try {
    const certificate = new X509Certificate(certificatePem ?? '');
    if (!privateKeyPem || !certificate.ca || !certificate.checkPrivateKey(createPrivateKey(privateKeyPem))) throw new Error('not a CA key and certificate');
    if (certificate.validToDate <= now) throw new Error(`expired ${certificate.validTo}`);
    return { certificatePem: certificatePem!, privateKeyPem };
  } catch (cause) {
    throw new Error(`${keyPath} is not a usable CA key and certificate; delete it to make a new sandbox directory CA (every transport certificate it issued goes with it)`, { cause });
  }
}
