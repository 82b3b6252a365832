import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startTestPortcullis, type TestPortcullis } from '../../helpers/portcullis.ts';
import { tlsFetch } from '../../helpers/tls-fetch.ts';

/*
 * RFC 9126 §2 (PAR), RFC 6749 §3.2 (token), RFC 7662 §2.1 (introspection) and RFC 7009 §2
 * (revocation): these endpoints take POST only. Another method is not a missing resource but a
 * method the resource does not allow: 405 with `Allow: POST` (RFC 9110 §15.5.6), in the OAuth
 * error form the endpoint answers with.
 */

let portcullis: TestPortcullis;
before(async () => {
  portcullis = await startTestPortcullis();
});
after(() => portcullis?.close());

const POST_ONLY = ['/par', '/token', '/token/introspect', '/token/revoke'];

test('GET, PUT, DELETE and PATCH on POST-only endpoints answer 405 with Allow: POST, on both listeners', async () => {
  const listeners = [
    { origin: portcullis.urls.browser, fetchImpl: tlsFetch(portcullis.caPem) },
    { origin: portcullis.urls.partner, fetchImpl: tlsFetch(portcullis.caPem, portcullis.sampleClient) },
  ];
  for (const { origin, fetchImpl } of listeners) {
    for (const path of POST_ONLY) {
      for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
        const response = await fetchImpl(`${origin}${path}`, { method });
        const where = `${method} ${origin}${path}`;
        assert.equal(response.status, 405, where);
        assert.equal(response.headers.get('allow'), 'POST', where);
        assert.equal(response.headers.get('cache-control'), 'no-store', where);
        assert.match(response.headers.get('x-fapi-interaction-id') ?? '', /^[0-9a-f-]{36}$/, where);
        assert.deepEqual(await response.json(), { error: 'invalid_request', error_description: `${path} accepts POST only` }, where);
      }
    }
  }
});

test('HEAD gets the same status and headers without a body', async () => {
  const response = await tlsFetch(portcullis.caPem)(`${portcullis.urls.browser}/par`, { method: 'HEAD' });
  assert.equal(response.status, 405);
  assert.equal(response.headers.get('allow'), 'POST');
  assert.equal(await response.text(), '');
});
