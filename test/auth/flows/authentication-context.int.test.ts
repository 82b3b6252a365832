/**
 * `acr` end to end, with a real client (openid-client, a signed request object pushed by PAR,
 * mutual TLS): what discovery advertises, what the ID token says the sign-in proved, and how an
 * essential acr the bank cannot meet ends the authorization instead of looping on the sign-in page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import * as oc from 'openid-client';

import { CONSENT_KINDS } from '../../../src/consent/consent-kinds.ts';
import { findConsent } from '../../../src/consent/consent.store.ts';
import { accountAccessBody } from '../../consent/consent-bodies.ts';
import { CustomerBrowser, shownCode } from '../../helpers/customer-browser.ts';
import { obPartner, type ObPartner } from '../../helpers/ob-partner.ts';
import { REDIRECT_URI } from '../../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../../helpers/portcullis.ts';
import { tlsFetch } from '../../helpers/tls-fetch.ts';

const SCA = 'urn:openbanking:psd2:sca';
const CA = 'urn:openbanking:psd2:ca';
const ALICE = { username: 'alice', password: 'alice-sandbox-pass' };

let portcullis: TestPortcullis;
let partner: ObPartner;
before(async () => {
  portcullis = await startTestPortcullis();
  partner = await obPartner(portcullis);
});
after(() => portcullis?.close());

function browser() {
  return new CustomerBrowser(tlsFetch(portcullis.caPem), [portcullis.urls.browser]);
}

/**
 * A UK-style authorization: an account access consent, then a signed request object naming it,
 * with `idToken` claims requested besides `openbanking_intent_id` and any other parameters.
 */
async function authorization(options: { idToken?: Record<string, unknown>; params?: Record<string, string> } = {}) {
  const created = await partner.call('POST', CONSENT_KINDS['account-access'].path, { body: accountAccessBody(), token: await partner.token('accounts') });
  assert.equal(created.status, 201, created.text);
  const consentId: string = created.json.Data.ConsentId;
  const verifier = oc.randomPKCECodeVerifier();
  const state = oc.randomState();
  const signed = await oc.buildAuthorizationUrlWithJAR(partner.config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid accounts',
    claims: JSON.stringify({ id_token: { openbanking_intent_id: { value: consentId, essential: true }, ...options.idToken } }),
    code_challenge: await oc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...options.params,
  }, { key: partner.keys.privateKey, kid: partner.keys.kid });
  return {
    url: await oc.buildAuthorizationUrlWithPAR(partner.config, signed.searchParams),
    state,
    consentId,
    redeem: (callback: URL) => oc.authorizationCodeGrant(partner.config, callback, { pkceCodeVerifier: verifier, expectedState: state, idTokenExpected: true }),
  };
}

test('discovery advertises the Open Banking acr values, and acr and amr among the claims', async () => {
  const discovered = partner.config.serverMetadata();
  assert.deepEqual(discovered.acr_values_supported, [SCA, CA]);
  assert.ok(discovered.claims_supported?.includes('acr'), String(discovered.claims_supported));
  assert.ok(discovered.claims_supported?.includes('amr'), String(discovered.claims_supported));
});

describe('the ID token says what the sign-in proved', () => {
  test('acr asked for as essential sca: the customer gives a password and a one-time code; acr is sca, amr pwd and otp', async () => {
    const asked = await authorization({ idToken: { acr: { essential: true, value: SCA }, amr: null } });
    const customer = browser();
    const callback = await customer.authorize(asked.url, ALICE);
    assert.ok(customer.pages.some((page) => page.html.includes('<h1>Enter your security code</h1>')), 'the code page was shown');
    const claims = (await asked.redeem(callback)).claims()!;
    assert.equal(claims['acr'], SCA);
    assert.deepEqual(claims['amr'], ['pwd', 'otp']);
    assert.equal(claims['openbanking_intent_id'], asked.consentId);
  });

  test('acr asked for as essential, among values: one of them', async () => {
    const asked = await authorization({ idToken: { acr: { essential: true, values: [SCA, CA] } } });
    assert.equal((await asked.redeem(await browser().authorize(asked.url, ALICE))).claims()!['acr'], SCA);
  });

  test('acr_values=urn:openbanking:psd2:ca (voluntary): the ID token carries the acr reached, sca since every authorization is strong', async () => {
    const asked = await authorization({ params: { acr_values: CA } });
    assert.equal((await asked.redeem(await browser().authorize(asked.url, ALICE))).claims()!['acr'], SCA);
  });

  test('acr not asked for: the ID token has none', async () => {
    const asked = await authorization();
    const claims = (await asked.redeem(await browser().authorize(asked.url, ALICE))).claims()!;
    assert.equal(claims['acr'], undefined);
    assert.equal(claims['amr'], undefined);
  });
});

describe('an essential acr the bank cannot meet ends the authorization before any sign-in page (OIDC Core §5.5.1.1)', () => {
  const unmeetable: Array<[string, Record<string, unknown>]> = [
    ['an unknown value', { essential: true, value: 'urn:example:unknown' }],
    ['unknown values', { essential: true, values: ['urn:example:unknown', 'urn:example:other'] }],
    ['ca alone, which no authorization ends with: each one is strong', { essential: true, value: CA }],
  ];
  for (const [name, acr] of unmeetable) {
    test(name, async () => {
      const asked = await authorization({ idToken: { acr } });
      const customer = browser();
      const { redirect } = await customer.open(asked.url);
      assert.ok(redirect, `straight back to the partner, not a page: ${customer.pages.at(-1)?.html.slice(0, 200)}`);
      assert.equal(redirect.origin + redirect.pathname, REDIRECT_URI);
      assert.equal(redirect.searchParams.get('error'), 'unmet_authentication_requirements');
      assert.equal(redirect.searchParams.get('iss'), portcullis.config.issuer, 'RFC 9207');
      assert.equal(redirect.searchParams.get('state'), asked.state);
      assert.equal(redirect.searchParams.get('code'), null);
      assert.deepEqual(customer.pages, [], 'no sign-in page was shown');
      assert.equal((await findConsent(portcullis.db, asked.consentId))!.status, 'AwaitingAuthorisation', 'nobody decided anything');
    });
  }
});

describe('the one-time code step', () => {
  const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];
  const codeField = (html: string) => /<input id="code"[^>]*>/.exec(html)?.[0] ?? '';

  test('a wrong code shows the page again, the error tied to the field; the right one goes on to consent', async () => {
    const customer = browser();
    const login = await customer.open((await authorization()).url);
    const codePage = (await customer.submit(login.page!, '/login', ALICE)).page!;
    assert.equal(codePage.status, 200);
    assert.equal(titleOf(codePage.html), 'Enter your security code · Portcullis Bank');
    assert.match(codePage.html, /A real bank would send it to your phone by text message/, 'the sandbox says what the shown code stands for');
    assert.doesNotMatch(codeField(codePage.html), /aria-invalid/);
    const code = shownCode(codePage.html);

    const wrong = (await customer.submit(codePage, '/code', { code: code === '000000' ? '111111' : '000000' })).page!;
    assert.equal(wrong.status, 401);
    assert.equal(titleOf(wrong.html), 'Error: Enter your security code · Portcullis Bank');
    assert.match(wrong.html, /<p class="error" role="alert" id="code-error">The code is not right, or it has expired\. Check it and try again\.<\/p>/);
    assert.match(codeField(wrong.html), /aria-invalid="true"/);
    assert.match(codeField(wrong.html), /aria-describedby="code-instructions code-error"/);
    assert.equal(shownCode(wrong.html), code, 'the same code, for the same sign-in');

    const consent = (await customer.submit(wrong, '/code', { code: `${code.slice(0, 3)} ${code.slice(3)}` })).page!;
    assert.equal(consent.status, 200, 'spaces typed in the code do not matter');
    assert.match(consent.html, /Choose the accounts to share/);
  });

  test("a code is good for its own sign-in only: another interaction's is refused", async () => {
    const [first, second] = [browser(), browser()];
    const firstCodePage = (await first.submit((await first.open((await authorization()).url)).page!, '/login', ALICE)).page!;
    const secondCodePage = (await second.submit((await second.open((await authorization()).url)).page!, '/login', ALICE)).page!;
    assert.notEqual(shownCode(firstCodePage.html), shownCode(secondCodePage.html));
    const swapped = (await second.submit(secondCodePage, '/code', { code: shownCode(firstCodePage.html) })).page!;
    assert.equal(swapped.status, 401);
  });

  test('going to the resume endpoint after the password does not skip the code: the sign-in starts again', async () => {
    const customer = browser();
    const codePage = (await customer.submit((await customer.open((await authorization()).url)).page!, '/login', ALICE)).page!;
    const uid = /^\/interaction\/([^/]+)$/.exec(codePage.url.pathname)?.[1];
    assert.ok(uid, codePage.url.href);
    const resumed = await customer.open(new URL(`/authorize/${uid}`, portcullis.urls.browser));
    assert.ok(resumed.page, `a page, not a code for the partner: ${resumed.redirect?.href}`);
    assert.match(resumed.page.html, /<h1>Sign in to Portcullis Bank<\/h1>/);
  });

  test('the code page cannot be submitted before the password', async () => {
    const customer = browser();
    const login = (await customer.open((await authorization()).url)).page!;
    const form = /<form method="post" action="([^"]+)\/login"/.exec(login.html)![1]!;
    const csrf = /name="csrf" value="([^"]+)"/.exec(login.html)![1]!;
    const early = await customer.open(new URL(`${form}/code`, login.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf, code: '123456' }).toString(),
    });
    assert.equal(early.page?.status, 400);
    assert.match(early.page!.html, /sign in with your username and password first/);
  });
});
