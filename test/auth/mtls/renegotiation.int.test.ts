import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { after, before, describe, it } from 'node:test';

import { partnerTlsOptions } from '../../../src/server/tls-options.ts';
import { startTestPortcullis, type TestPortcullis } from '../../helpers/portcullis.ts';

/*
 * The mTLS hooks read a connection's client certificate once and keep it (client-certificate.ts),
 * and tokens are bound to it (RFC 8705 §3). That holds only if the certificate cannot change on a
 * connection, so the partner listener must refuse a TLS 1.2 renegotiation, in which the client
 * could present another one. (TLS 1.3 has no renegotiation.)
 */

/**
 * On one TLS 1.2 connection with the sample client certificate: a request, a client-initiated
 * renegotiation, then a second request. Resolves to what came back: `HTTP <status>` per response,
 * then `error <code>` if the connection failed.
 */
function requestRenegotiateRequest(port: number, portcullis: TestPortcullis): Promise<string[]> {
  const request = 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n';
  const { certificatePem, privateKeyPem } = portcullis.sampleClient;
  return new Promise((resolve) => {
    const outcome: string[] = [];
    const socket = connect(
      { host: '127.0.0.1', port, servername: 'localhost', ca: portcullis.caPem, cert: certificatePem, key: privateKeyPem, maxVersion: 'TLSv1.2' },
      () => socket.write(request),
    );
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      // A whole response: status line, headers, then the JSON body both servers here answer with.
      const response = /^HTTP\/1\.1 (\d+) [^]*?\r\n\r\n\{[^}]*\}/.exec(received);
      if (!response) return;
      received = received.slice(response[0].length);
      outcome.push(`HTTP ${response[1]}`);
      if (outcome.length > 1) return void socket.end();
      socket.renegotiate({}, () => undefined);
      socket.write(request);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => outcome.push(`error ${error.code}`));
    socket.on('close', () => resolve(outcome));
  });
}

describe('TLS renegotiation on the partner listener', () => {
  let portcullis: TestPortcullis;
  before(async () => {
    portcullis = await startTestPortcullis();
  });
  after(() => portcullis.close());

  it('is refused: the connection fails instead of taking another handshake', { timeout: 10_000 }, async () => {
    const outcome = await requestRenegotiateRequest(Number(new URL(portcullis.urls.partner).port), portcullis);

    assert.equal(outcome.length, 2, outcome.join(', '));
    assert.equal(outcome[0], 'HTTP 200');
    assert.match(outcome[1]!, /^error (EPROTO|ECONNRESET)$/);
  });

  it('would be taken by a server with the same TLS options that does not refuse it (the probe can tell)', { timeout: 10_000 }, async () => {
    const read = (name: string) => readFileSync(join(portcullis.certsDir, name), 'utf8');
    const tls = partnerTlsOptions({ certificatePem: read('server.pem'), privateKeyPem: read('server.key') }, [portcullis.caPem]);
    const server = createServer(tls, (_request, response) => response.end('{"status":"ok"}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      assert.deepEqual(await requestRenegotiateRequest((server.address() as AddressInfo).port, portcullis), ['HTTP 200', 'HTTP 200']);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
