import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';

import { generateKeyPair } from '../../src/pki/generate-key-pair.ts';
import { issueCertificate } from '../../src/pki/issue-certificate.ts';
import { readForwardedCertificate } from '../../src/pki/read-forwarded-certificate.ts';
import { ROUTES } from '../../src/auth/provider/routes.ts';
import { opensListener, readRepoFile, readYamlDocuments } from './deploy-files.ts';
import { findDirectives, forwardedHeaders, only, parseNginxConfig, serversByPort, type NginxDirective } from './nginx-config.ts';

/*
 * The load balancer's nginx configuration (deploy/nginx/), which both the Compose deployment and
 * the Kubernetes `edge` run: nginx is not on this machine to check it (`nginx -t`), so the test
 * reads it for what Portcullis relies on: the RFC 9440 Client-Cert header set from the connection
 * and never from the client, every other forwarding header replaced, each listener's paths routed
 * to the role that serves them. Its njs function runs here against Portcullis's own reader.
 */

// njs's module, loaded by URL: it is nginx's JavaScript, with no types of its own.
const { default: clientCertScript } = await import(new URL('../../deploy/nginx/client-cert.js', import.meta.url).href) as {
  default: { clientCert(request: { variables: { ssl_client_raw_cert?: string } }): string };
};

const config = parseNginxConfig(readRepoFile('deploy/nginx/nginx.conf'));
const http = only(config, 'http').block!;
const servers = serversByPort(config);

/** `location` → the upstream it passes to. */
function locations(server: NginxDirective[]): Map<string, string> {
  return new Map(server.filter(({ name }) => name === 'location').map(({ args, block }) => [args.join(' '), only(block!, 'proxy_pass').args[0].replace('https://', '')]));
}

describe('deploy/nginx/nginx.conf', () => {
  it('sets Client-Cert from the connection and replaces every forwarding header a client could send', () => {
    const headers = forwardedHeaders(config);
    assert.equal(headers.get('client-cert'), '$client_cert');
    assert.equal(headers.get('x-forwarded-for'), '$remote_addr', 'the address nginx saw, not a list the client started');
    for (const stripped of ['client-cert-chain', 'forwarded', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port']) assert.equal(headers.get(stripped), '', stripped);
    assert.deepEqual(only(config, 'load_module').args, ['modules/ngx_http_js_module.so']);
    assert.deepEqual(only(http, 'js_import').args, ['client_cert', 'from', '/etc/nginx/client-cert.js']);
    assert.deepEqual(only(http, 'js_set').args, ['$client_cert', 'client_cert.clientCert']);
  });

  it('asks for a client certificate on the partner listener only, without judging it (Portcullis does)', () => {
    assert.deepEqual([...servers.keys()].sort(), [8443, 8444, 8445]);
    assert.deepEqual(findDirectives(config, 'ssl_verify_client').map(({ directive, path }) => [directive.args, path]), [[['optional_no_ca'], ['http', 'server']]]);
    assert.ok(servers.get(8444)!.some(({ name }) => name === 'ssl_verify_client'));
  });

  it('routes each listener to the roles that serve it', () => {
    assert.deepEqual(locations(servers.get(8444)!), new Map([['/', 'auth_partner'], ['/open-banking/', 'gateway_partner']]));
    assert.deepEqual(locations(servers.get(8445)!), new Map([['/', 'gateway_public']]));
    const browser = locations(servers.get(8443)!);
    assert.equal(browser.get('/'), 'auth_browser');
    assert.equal(browser.get('= /'), 'portal_browser');
    const [portalPattern, upstream] = [...browser].find(([location]) => location.startsWith('~'))!;
    assert.equal(upstream, 'portal_browser');
    const portalPaths = new RegExp(portalPattern.replace(/^~ /, ''));
    // Every first segment of the portal's routes (but its development outbox) and the console's.
    const portalSegments = [...readRepoFile('src/portal/portal.routes.ts').matchAll(/router\.(?:get|post)\('\/([^/')]+)/g)].map((match) => match[1]);
    for (const segment of new Set([...portalSegments.filter((segment) => segment !== 'dev'), 'console', 'static'])) {
      assert.match(`/${segment}`, portalPaths);
      assert.match(`/${segment}/x`, portalPaths);
    }
    // The authorization server's paths stay with it.
    for (const path of [...Object.values(ROUTES), '/.well-known/openid-configuration', '/connected-apps', '/interaction/x', '/applications', '/consoles']) {
      assert.doesNotMatch(path, portalPaths, path);
    }
  });

  it('reaches instances that open those listeners, in Compose and in Kubernetes', () => {
    const upstreams = http.filter(({ name }) => name === 'upstream').map(({ block }) => only(block!, 'server').args[0].split(':'));
    const [compose] = readYamlDocuments('docker-compose.yml') as Array<{ services: Record<string, { environment?: Record<string, string> }> }>;
    const services = readYamlDocuments('deploy/kubernetes/auth.yaml').concat(readYamlDocuments('deploy/kubernetes/gateway.yaml'), readYamlDocuments('deploy/kubernetes/portal.yaml'))
      .filter((object) => (object as { kind: string }).kind === 'Service') as Array<{ metadata: { name: string }; spec: { ports: Array<{ port: number }> } }>;
    for (const [host, port] of upstreams) {
      assert.ok(opensListener(compose.services[host].environment!['ROLES'], Number(port)), `Compose ${host} opens ${port}`);
      assert.ok(services.find(({ metadata }) => metadata.name === host)?.spec.ports.some((entry) => entry.port === Number(port)), `Kubernetes Service ${host} has ${port}`);
    }
    assert.equal(new Set(upstreams.map(([host]) => host)).size, 3);
  });

  it('keeps upstream connections shorter than the instances do (KEEP_ALIVE_TIMEOUT, 5 s)', () => {
    for (const upstream of http.filter(({ name }) => name === 'upstream')) {
      assert.ok(parseFloat(only(upstream.block!, 'keepalive_timeout').args[0]) < 5, upstream.args[0]);
    }
  });
});

describe('deploy/nginx/client-cert.js', () => {
  const pem = issueCertificate({ subject: { commonName: 'partner' }, profile: 'client', privateKeyPem: generateKeyPair('ec').privateKeyPem, validDays: 1 });
  const clientCert = (raw: string) => clientCertScript.clientCert({ variables: { ssl_client_raw_cert: raw } });

  it("turns nginx's PEM into the RFC 9440 byte sequence Portcullis reads back as the same certificate", () => {
    const header = clientCert(pem);
    assert.equal(header, `:${new X509Certificate(pem).raw.toString('base64')}:`);
    assert.equal(readForwardedCertificate(header), pem);
  });

  it('sets nothing without a certificate, so that nginx sends no header', () => {
    assert.equal(clientCert(''), '');
  });
});
