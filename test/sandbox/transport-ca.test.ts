import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { createSandboxDirectory } from '../../sandbox/directory/sandbox-directory.ts';
import { transportSubjectDn } from '../../sandbox/directory/transport-certificate.ts';
import { subjectMatches } from '../../src/auth/mtls/distinguished-name.ts';
import { verifyCertificateChain } from '../../src/pki/verify-certificate-chain.ts';
import { keyUsageNames, readExtensions } from '../pki/read-extensions.ts';

describe('the sandbox directory transport CA', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'portcullis-transport-ca-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('is made once under <certsDir>/directory, its key readable by the owner only, and kept', async () => {
    const certsDir = join(root, 'kept');
    const first = await createSandboxDirectory(certsDir);
    assert.equal(first.transportCa.certificatePath, join(certsDir, 'directory', 'transport-ca.pem'));
    assert.equal((await stat(join(certsDir, 'directory', 'transport-ca.key'))).mode & 0o777, 0o600);
    assert.equal(await readFile(first.transportCa.certificatePath, 'utf8'), first.transportCa.certificatePem);
    const ca = new X509Certificate(first.transportCa.certificatePem);
    assert.equal(ca.ca, true);
    assert.equal(ca.subject, 'C=GB\nO=Portcullis Sandbox Directory\nCN=Portcullis Sandbox Directory Issuing CA');
    const again = await createSandboxDirectory(certsDir);
    assert.equal(again.transportCa.certificatePem, first.transportCa.certificatePem);
  });

  it('issues one-year transport certificates for clientAuth and digitalSignature, named as the OB Directory names them', async () => {
    const directory = await createSandboxDirectory(join(root, 'issue'));
    const subject = { orgId: 'SBXORG00000000001', softwareId: 'sbxSoftware0000000001' };
    const { certificatePem } = directory.issueTransportCertificate(subject);
    const certificate = new X509Certificate(certificatePem);
    assert.equal(certificate.subject, 'C=GB\nO=Portcullis Sandbox Directory\nOU=SBXORG00000000001\nCN=sbxSoftware0000000001');
    assert.ok(subjectMatches(certificate.subject, transportSubjectDn(subject)));
    assert.deepEqual(certificate.keyUsage, ['1.3.6.1.5.5.7.3.2']);
    assert.equal(certificate.ca, false);
    const keyUsage = readExtensions(certificatePem).get('2.5.29.15')!;
    assert.equal(keyUsage.critical, true);
    assert.deepEqual(keyUsageNames(keyUsage), ['digitalSignature']);
    const days = (certificate.validToDate.getTime() - certificate.validFromDate.getTime()) / 86_400_000;
    assert.ok(days > 365 && days < 365.01, `${days} days`);
    assert.equal(verifyCertificateChain(certificatePem, [directory.transportCa.certificatePem]), true);
  });

  it('refuses a CA file that is not one, rather than make a second CA over it', async () => {
    const certsDir = join(root, 'broken');
    await createSandboxDirectory(certsDir);
    await writeFile(join(certsDir, 'directory', 'transport-ca.key'), 'not a key');
    await assert.rejects(createSandboxDirectory(certsDir), /transport-ca\.key is not a usable CA key and certificate; delete it/);
  });
});
