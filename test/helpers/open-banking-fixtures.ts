import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { exportPKCS8 } from 'jose';

import { createSoftwareKeys } from '../../sandbox/directory/software-keys.ts';
import { generateKeyPair } from '../../src/pki/generate-key-pair.ts';
import { issueCertificate } from '../../src/pki/issue-certificate.ts';
import { REDIRECT_URI } from './partner-client.ts';
import type { TestPortcullis } from './portcullis.ts';
import { tlsFetch, type TlsIdentity } from './tls-fetch.ts';

/** A transport certificate from the test instance's dev CA (which the partner listener trusts), ending in `days` days. */
export function transportCertificate(portcullis: TestPortcullis, subject: { commonName: string; organizationName: string }, days: number): TlsIdentity {
  const ca = { certificatePem: portcullis.caPem, privateKeyPem: readFileSync(join(portcullis.certsDir, 'dev-ca.key'), 'utf8') };
  const { privateKeyPem, publicKeyPem } = generateKeyPair('ec');
  return { certificatePem: issueCertificate({ subject: { ...subject, countryName: 'GB' }, profile: 'client', publicKeyPem, issuer: ca, validDays: days }), privateKeyPem };
}

/**
 * A partner registered as the directory's partners are, by dynamic registration (RFC 7591) with a
 * sandbox directory software statement whose key carries its certificate (`x5c`), ending in
 * `certificateDays` days. Resolves the client_id. With `transport`, the partner registers over
 * mutual TLS presenting that certificate, as a directory's partners do; otherwise on the browser listener.
 */
export async function registerWithStatement(portcullis: TestPortcullis, claims: { softwareId: string; clientName: string; orgId: string; orgName: string }, certificateDays: number, transport?: TlsIdentity): Promise<string> {
  const keys = await createSoftwareKeys('ES256');
  const certificatePem = issueCertificate({ subject: { commonName: claims.softwareId, organizationName: claims.orgName, countryName: 'GB' }, profile: 'client', privateKeyPem: await exportPKCS8(keys.privateKey), validDays: certificateDays });
  const ssa = await portcullis.directory.issueSoftwareStatement({
    software_id: claims.softwareId, software_client_name: claims.clientName, software_redirect_uris: [REDIRECT_URI], software_roles: ['AISP', 'CBPII'],
    software_jwks: { keys: [{ ...keys.publicJwk, x5c: [new X509Certificate(certificatePem).raw.toString('base64')] }] }, org_id: claims.orgId, org_name: claims.orgName,
  });
  const response = await tlsFetch(portcullis.caPem, transport)(`${transport ? portcullis.urls.partner : portcullis.urls.browser}/register`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'ES256', grant_types: ['authorization_code', 'client_credentials', 'refresh_token'], response_types: ['code'], software_statement: ssa }),
  });
  const body = await response.json() as Record<string, unknown>;
  assert.equal(response.status, 201, JSON.stringify(body));
  return body['client_id'] as string;
}
