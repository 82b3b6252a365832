import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect, createServer, type PeerCertificate } from 'node:tls';

import { ensureDevPki, type DevPki } from '../../src/pki/dev-pki.ts';
import { issueClientCertificate } from '../../src/pki/issue-client-certificate.ts';
import { verifyCertificateChain } from '../../src/pki/verify-certificate-chain.ts';

const files = ['dev-ca.pem', 'dev-ca.key', 'server.pem', 'server.key', 'sample-client.pem', 'sample-client.key'];

async function readAll(dir: string): Promise<Record<string, string>> {
  return Object.fromEntries(await Promise.all(files.map(async (file) => [file, await readFile(join(dir, file), 'utf8')])));
}

interface Handshake {
  peer: PeerCertificate;
  authorized: boolean;
}

/**
 * A real TLS handshake: the server presents the dev server certificate and demands a client
 * certificate from the dev CA; the client trusts only the dev CA and checks the server's name.
 */
async function handshake(pki: DevPki, host: string, servername: string | undefined, client: { cert: string; key: string }): Promise<Handshake> {
  const server = createServer({
    cert: pki.serverCertificatePem,
    key: pki.serverPrivateKeyPem,
    ca: pki.caCertificatePem,
    requestCert: true,
    rejectUnauthorized: true,
  });
  const seen = new Promise<Handshake>((resolve) => {
    server.once('secureConnection', (socket) => {
      resolve({ peer: socket.getPeerCertificate(), authorized: socket.authorized });
      socket.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const socket = connect({ host, port, servername, ca: pki.caCertificatePem, ...client });
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    const result = await seen;
    socket.destroy();
    return result;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('ensureDevPki', () => {
  let dir: string;
  let first: DevPki;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'portcullis-pki-'));
    first = await ensureDevPki(join(dir, 'certs'), ['portcullis.test']);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('generates the CA, server and sample client files on first use, keys readable by the owner only', async () => {
    assert.equal(first.generated, true);
    const written = await readAll(join(dir, 'certs'));
    assert.equal(written['dev-ca.pem'], first.caCertificatePem);
    assert.equal(written['server.key'], first.serverPrivateKeyPem);
    assert.equal(written['sample-client.pem'], first.sampleClientCertificatePem);
    for (const file of files.filter((name) => name.endsWith('.key'))) {
      assert.equal((await stat(join(dir, 'certs', file))).mode & 0o777, 0o600, file);
    }
  });

  it('makes a 10-year CA, and 1-year leaves with the expected names', () => {
    const ca = new X509Certificate(first.caCertificatePem);
    const server = new X509Certificate(first.serverCertificatePem);
    const client = new X509Certificate(first.sampleClientCertificatePem);
    const years = (certificate: X509Certificate) => (certificate.validToDate.getTime() - certificate.validFromDate.getTime()) / (365 * 86_400_000);
    assert.equal(ca.ca, true);
    assert.equal(ca.publicKey.asymmetricKeyType, 'rsa');
    assert.ok(Math.abs(years(ca) - 10) < 0.01);
    assert.ok(Math.abs(years(server) - 1) < 0.01 && Math.abs(years(client) - 1) < 0.01);
    assert.equal(server.subjectAltName, 'DNS:portcullis.test, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    assert.match(client.subject, /^C=GB\nO=Sample TPP Ltd\nOU=[0-9A-Z]{18}\nCN=sample-tpp$/);
  });

  it('serves TLS that a client trusting only the dev CA accepts, and authenticates the sample client', async () => {
    const sampleClient = { cert: first.sampleClientCertificatePem, key: first.sampleClientPrivateKeyPem };
    for (const [host, servername] of [['127.0.0.1', 'localhost'], ['127.0.0.1', 'portcullis.test'], ['127.0.0.1', undefined]] as const) {
      const { peer, authorized } = await handshake(first, host, servername, sampleClient);
      assert.equal(authorized, true, `${servername}: the server verified the client against the dev CA`);
      assert.equal(peer.subject.CN, 'sample-tpp');
      assert.equal(peer.subject.O, 'Sample TPP Ltd');
      assert.equal(new X509Certificate(peer.raw).toString(), first.sampleClientCertificatePem);
    }
    assert.equal(verifyCertificateChain(first.sampleClientCertificatePem, [first.caCertificatePem]), true);
  });

  it('lets a minted partner certificate through TLS as well', async () => {
    const ca = { certificatePem: first.caCertificatePem, privateKeyPem: first.caPrivateKeyPem };
    const partner = issueClientCertificate(ca, { commonName: 'partner-1', organizationName: 'Partner Ltd' });
    const { peer, authorized } = await handshake(first, '127.0.0.1', 'localhost', { cert: partner.certificatePem, key: partner.privateKeyPem });
    assert.equal(authorized, true);
    assert.equal(peer.subject.CN, 'partner-1');
  });

  it('fails the handshake for a server name the certificate does not carry', async () => {
    const sampleClient = { cert: first.sampleClientCertificatePem, key: first.sampleClientPrivateKeyPem };
    await assert.rejects(handshake(first, '127.0.0.1', 'elsewhere.test', sampleClient), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('does not accept the server certificate as a client certificate', () => {
    assert.equal(verifyCertificateChain(first.serverCertificatePem, [first.caCertificatePem]), false);
  });

  it('reuses every file on the next call', async () => {
    const before = await readAll(join(dir, 'certs'));
    const again = await ensureDevPki(join(dir, 'certs'), ['portcullis.test']);
    assert.equal(again.generated, false);
    assert.deepEqual({ ...again, generated: true }, first);
    assert.deepEqual(await readAll(join(dir, 'certs')), before);
  });

  describe('when something changed', () => {
    let certsDir: string;
    let initial: Record<string, string>;

    before(async () => {
      certsDir = join(dir, 'changing');
      await ensureDevPki(certsDir, []);
      initial = await readAll(certsDir);
    });

    it('reissues only the server certificate for a new hostname, keeping the old ones', async () => {
      const pki = await ensureDevPki(certsDir, ['new.test']);
      const now = await readAll(certsDir);
      assert.equal(pki.generated, true);
      assert.notEqual(now['server.pem'], initial['server.pem']);
      assert.notEqual(now['server.key'], initial['server.key']);
      assert.equal(now['dev-ca.pem'], initial['dev-ca.pem']);
      assert.equal(now['sample-client.pem'], initial['sample-client.pem']);
      assert.equal(new X509Certificate(pki.serverCertificatePem).checkHost('new.test'), 'new.test');
      assert.equal((await ensureDevPki(certsDir, ['new.test', 'localhost'])).generated, false, 'localhost is always covered');
      initial = now;
    });

    it('reissues the leaves within 7 days of their expiry, keeping the CA', async () => {
      const in357Days = new Date(Date.now() + 357 * 86_400_000);
      assert.equal((await ensureDevPki(certsDir, ['new.test'], in357Days)).generated, false, '8 days left is enough');
      const in359Days = new Date(Date.now() + 359 * 86_400_000);
      assert.equal((await ensureDevPki(certsDir, ['new.test'], in359Days)).generated, true);
      const now = await readAll(certsDir);
      assert.equal(now['dev-ca.pem'], initial['dev-ca.pem']);
      assert.notEqual(now['server.pem'], initial['server.pem']);
      assert.notEqual(now['sample-client.pem'], initial['sample-client.pem']);
      initial = now;
    });

    it('reissues a certificate whose file is corrupt or whose key is missing', async () => {
      await writeFile(join(certsDir, 'server.pem'), 'garbage');
      await rm(join(certsDir, 'sample-client.key'));
      assert.equal((await ensureDevPki(certsDir, ['new.test'])).generated, true);
      const now = await readAll(certsDir);
      assert.equal(now['dev-ca.pem'], initial['dev-ca.pem']);
      assert.notEqual(now['server.pem'], initial['server.pem']);
      assert.notEqual(now['sample-client.pem'], initial['sample-client.pem']);
      initial = now;
    });

    it('reissues a certificate whose key file holds another key', async () => {
      await writeFile(join(certsDir, 'server.key'), initial['sample-client.key']);
      const pki = await ensureDevPki(certsDir, ['new.test']);
      const now = await readAll(certsDir);
      assert.equal(pki.generated, true);
      assert.notEqual(now['server.pem'], initial['server.pem']);
      assert.notEqual(now['server.key'], initial['sample-client.key']);
      assert.equal(now['sample-client.pem'], initial['sample-client.pem']);
      initial = now;
    });

    it('starts over with a new CA when the CA key is gone, and reissues what it signed', async () => {
      await rm(join(certsDir, 'dev-ca.key'));
      const pki = await ensureDevPki(certsDir, ['new.test']);
      const now = await readAll(certsDir);
      for (const file of files) assert.notEqual(now[file], initial[file], file);
      assert.equal(verifyCertificateChain(pki.sampleClientCertificatePem, [pki.caCertificatePem]), true);
      assert.equal(verifyCertificateChain(pki.sampleClientCertificatePem, [initial['dev-ca.pem']]), false);
      assert.equal((await stat(join(certsDir, 'dev-ca.key'))).mode & 0o777, 0o600);
    });

    it('tightens the mode of a key file it replaces', async () => {
      await writeFile(join(certsDir, 'server.pem'), 'garbage');
      await chmod(join(certsDir, 'server.key'), 0o644);
      await ensureDevPki(certsDir, ['new.test']);
      assert.equal((await stat(join(certsDir, 'server.key'))).mode & 0o777, 0o600);
    });
  });
});
