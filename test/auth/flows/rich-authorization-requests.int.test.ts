import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import * as oc from 'openid-client';

import { discover, REDIRECT_URI, registerKeyClient } from '../../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../../helpers/portcullis.ts';

let portcullis: TestPortcullis;
before(async () => {
  portcullis = await startTestPortcullis();
});
after(() => portcullis?.close());

const payment = {
  type: 'payment_initiation',
  instructedAmount: { currency: 'GBP', amount: '12.50' },
  creditorName: 'Acme Energy Ltd',
  creditorAccount: { schemeName: 'UK.OBIE.SortCodeAccountNumber', identification: '08080021325698', name: 'Acme Energy' },
  remittanceInformationUnstructured: 'Invoice 1234',
};

async function client(roles: string[]) {
  const { clientId, keys } = await registerKeyClient(portcullis, { software_roles: roles });
  const config = await discover(portcullis, clientId, oc.PrivateKeyJwt({ key: keys.privateKey, kid: keys.kid }));
  return { config, DPoP: oc.getDPoPHandle(config, await oc.randomDPoPKeyPair('ES256')) };
}

async function pushed(config: oc.Configuration, DPoP: oc.DPoPHandle, details: unknown[]) {
  const verifier = oc.randomPKCECodeVerifier();
  const url = await oc.buildAuthorizationUrlWithPAR(config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid',
    authorization_details: JSON.stringify(details),
    code_challenge: await oc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  }, { DPoP });
  return { url, verifier };
}

// Granted RAR flows (the consent they create, the token response naming it) are in test/consent/consent-authorization.int.test.ts.

test('malformed authorization details are refused with invalid_authorization_details', async () => {
  const { config, DPoP } = await client(['PISP', 'AISP']);
  for (const bad of [
    { ...payment, instructedAmount: { currency: 'pounds', amount: '12.50' } },
    { ...payment, unexpected: true },
    { type: 'account_information', permissions: ['ReadEverything'] },
    { type: 'account_information', permissions: [] },
    { type: 'crypto_transfer' },
  ]) {
    await assert.rejects(pushed(config, DPoP, [bad]), (error: { error?: string }) => error.error === 'invalid_authorization_details', JSON.stringify(bad));
  }
});

test('a client without the PISP role cannot ask for a payment', async () => {
  const { config, DPoP } = await client(['AISP']);
  await assert.rejects(pushed(config, DPoP, [payment]), (error: { error?: string; error_description?: string }) => error.error === 'invalid_authorization_details' && error.error_description === "authorization details type 'payment_initiation' is not allowed for this client");
});
