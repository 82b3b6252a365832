import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import * as oc from 'openid-client';

import { REDIRECT_URI, registerKeyClient, type PartnerKeys } from '../../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../../helpers/portcullis.ts';
import { clientAssertion, dpopKey, dpopProof, postForm, type DpopKey } from '../../helpers/raw-oauth.ts';
import { tlsFetch } from '../../helpers/tls-fetch.ts';

/*
 * Issue 10, defect 13: a request refused only for a missing or stale DPoP nonce (RFC 9449 §8) must
 * not burn its client assertion's `jti`: the client retries with the server's nonce and the same
 * assertion, as RFC 9449 §8 and openid-client do, and must not be told it replayed it.
 */

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

let portcullis: TestPortcullis;
let fetchTls: typeof fetch;
let client: { clientId: string; keys: PartnerKeys };
let key: DpopKey;
before(async () => {
  portcullis = await startTestPortcullis();
  fetchTls = tlsFetch(portcullis.caPem);
  client = await registerKeyClient(portcullis);
  key = await dpopKey();
});
after(() => portcullis?.close());

async function assertion() {
  return { client_assertion_type: ASSERTION_TYPE, client_assertion: await clientAssertion(client.keys, client.clientId, portcullis.config.issuer) };
}

const endpoints = {
  token: async () => ({ url: `${portcullis.urls.browser}/token`, form: { grant_type: 'client_credentials', scope: 'accounts', ...(await assertion()) }, success: 200 }),
  par: async () => ({
    url: `${portcullis.urls.browser}/par`,
    form: {
      client_id: client.clientId, response_type: 'code', redirect_uri: REDIRECT_URI, scope: 'openid',
      code_challenge: await oc.calculatePKCECodeChallenge(oc.randomPKCECodeVerifier()), code_challenge_method: 'S256', ...(await assertion()),
    },
    success: 201,
  }),
};

for (const [name, request] of Object.entries(endpoints)) {
  describe(`/${name}: the nonce is checked before the client assertion is spent`, () => {
    for (const [why, nonceClaim] of [['without a nonce', {}], ['with a nonce the server never issued', { nonce: 'Zm9yZ2VkLW5vbmNl' }]] as const) {
      test(`a proof ${why} is refused with use_dpop_nonce, and the same assertion then succeeds with the nonce`, async () => {
        const { url, form, success } = await request();
        const first = await postForm(fetchTls, url, form, { dpop: await dpopProof(key, 'POST', url, nonceClaim) });
        assert.equal(first.status, 400, JSON.stringify(first.body));
        assert.equal(first.body['error'], 'use_dpop_nonce');
        assert.equal(first.headers.get('cache-control'), 'no-store');
        const nonce = first.headers.get('dpop-nonce');
        assert.ok(nonce, 'the answer carries a fresh nonce');

        const retry = await postForm(fetchTls, url, form, { dpop: await dpopProof(key, 'POST', url, { nonce }) });
        assert.equal(retry.status, success, JSON.stringify(retry.body));

        const replay = await postForm(fetchTls, url, form, { dpop: await dpopProof(key, 'POST', url, { nonce }) });
        assert.equal(replay.status, 401, 'a used assertion is still single-use');
        assert.equal(replay.body['error'], 'invalid_client');
      });
    }
  });
}
