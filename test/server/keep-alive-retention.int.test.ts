import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { Agent, request } from 'undici';

import { defaults } from '../../src/config/defaults.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { ensureDevPki } from '../../src/pki/dev-pki.ts';
import { createListener } from '../../src/server/create-listener.ts';

/*
 * A keep-alive connection between two requests holds nothing of the last one: the listener lets
 * go of a response once it is sent in full for a request read in full, so the call's objects
 * (request, response, whatever its handler hung on them) can be collected while the client keeps
 * the connection open. Held until the next request instead, every idle connection would keep its
 * last call alive: memory that grows with the connections a server keeps open.
 */

// A full collection on demand, taken from a fresh context so that nothing else in the process sees `gc`.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
setFlagsFromString('--no-expose-gc');

const certsDir = mkdtempSync(join(tmpdir(), 'portcullis-keep-alive-'));
after(() => rmSync(certsDir, { recursive: true, force: true }));

test('a response sent in full on a keep-alive connection is not held by the listener until the next request', async () => {
  const pki = await ensureDevPki(certsDir, ['localhost']);
  const sent: Array<WeakRef<ServerResponse>> = [];
  const listener = createListener({ cert: pki.serverCertificatePem, key: pki.serverPrivateKeyPem }, (req, res) => {
    sent.push(new WeakRef(res));
    req.resume();
    res.end('answered');
  }, { limits: defaults.listeners, familyOf: () => 'oauth', logger: createLogger('silent', false) });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const dispatcher = new Agent({ connect: { ca: pki.caCertificatePem, servername: 'localhost' }, connections: 1 });
  try {
    const url = `https://127.0.0.1:${(listener.address() as AddressInfo).port}/`;
    for (const body of [undefined, 'a request with a body read in full']) {
      const answer = await request(url, { method: body ? 'POST' : 'GET', body, dispatcher });
      assert.equal(await answer.body.text(), 'answered');
    }
    assert.equal(sent.length, 2);
    // The connection is still open (one keep-alive connection carried both): only the listener could hold them.
    await new Promise<void>((resolve) => listener.getConnections((error, count) => {
      assert.ifError(error);
      assert.equal(count, 1, 'the keep-alive connection is open');
      resolve();
    }));
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    assert.deepEqual(sent.map((ref) => ref.deref() === undefined), [true, true], 'both responses were collected');
  } finally {
    await dispatcher.close();
    listener.closeAllConnections();
    await new Promise((resolve) => listener.close(resolve));
  }
});
