/**
 * The customer's Connected apps dashboard over real TLS, against the real app and store: its own
 * session cookie, sign-in and sign-out, the list, and revoking a consent together with every token
 * of its grant. Consents are set up through the store, authorised under real provider grants.
 */
import assert from 'node:assert/strict';
import { hkdfSync, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import * as oc from 'openid-client';

import { insertCustomerIfAbsent } from '../../src/auth/customers/customer.store.ts';
import { hashPassword } from '../../src/auth/customers/password-authenticator.ts';
import { consentExpiry } from '../../src/consent/consent-expiry.ts';
import { kinded } from '../../src/consent/consent-kinds.ts';
import { findConsent, listStatusHistory, type Consent } from '../../src/consent/consent.store.ts';
import { newSession, sealSession, SESSION_TTL_SECONDS } from '../../src/consent/dashboard/dashboard-session.ts';
import { spellDate } from '../../src/consent/journey/describe-consent.ts';
import { discover, registerKeyClient } from '../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';
import { authorisedConsent, type ConsentSetup } from './authorised-consent.ts';

const COOKIE = '__Host-portcullis-dashboard';
const ALICE = { id: 'cust-0001', username: 'alice', password: 'alice-sandbox-pass' };
const BOB = { id: 'cust-0002', username: 'bob', password: 'bob-sandbox-pass' };

let portcullis: TestPortcullis;
let send: typeof fetch;
/** The partner whose apps are connected: registered with a name, organisation and logo. */
let partner: { clientId: string; introspection: oc.Configuration };

before(async () => {
  portcullis = await startTestPortcullis();
  send = tlsFetch(portcullis.caPem);
  const { clientId, keys } = await registerKeyClient(portcullis, { client_name: 'Budget Buddy', org_name: 'Budget Buddy Ltd', logo_uri: 'https://tpp.example/logo.png' });
  partner = { clientId, introspection: await discover(portcullis, clientId, oc.PrivateKeyJwt({ key: keys.privateKey, kid: keys.kid })) };
});
after(() => portcullis?.close());

interface Answer {
  status: number;
  headers: Headers;
  html: string;
  /** The page's text, tags stripped and white space collapsed. */
  text: string;
}

/** One request to the browser listener, never following redirects, with `cookie` if given. */
async function request(path: string, options: { cookie?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers = new Headers(options.headers);
  if (options.cookie) headers.set('cookie', `${COOKIE}=${options.cookie}`);
  if (options.form) headers.set('content-type', 'application/x-www-form-urlencoded');
  const response = await send(`${portcullis.urls.browser}${path}`, {
    method: options.form ? 'POST' : 'GET',
    headers,
    body: options.form ? new URLSearchParams(options.form).toString() : undefined,
    redirect: 'manual',
  });
  const html = await response.text();
  return { status: response.status, headers: response.headers, html, text: html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() };
}

/** The dashboard cookie an answer sets: its value and its attributes, as sent. */
function sessionCookieOf(answer: Answer): { value: string; header: string } | undefined {
  const header = answer.headers.getSetCookie().find((cookie) => cookie.startsWith(`${COOKIE}=`));
  return header ? { value: header.slice(COOKIE.length + 1).split(';')[0]!, header } : undefined;
}

function csrfOf(html: string): string {
  const token = /<input type="hidden" name="csrf" value="([^"]+)">/.exec(html)?.[1];
  assert.ok(token, 'the page has a CSRF token');
  return token;
}

function assertRedirect(answer: Answer, location: string): void {
  assert.equal(answer.status, 303, answer.text.slice(0, 300));
  assert.equal(answer.headers.get('location'), location);
}

/** Signs in through the form; returns the signed-in cookie and the CSRF token of the list page. */
async function signIn(customer: { username: string; password: string } = ALICE): Promise<{ cookie: string; csrf: string }> {
  const form = await request('/connected-apps/sign-in');
  const anonymous = sessionCookieOf(form)!.value;
  const signedIn = await request('/connected-apps/sign-in', { cookie: anonymous, form: { csrf: csrfOf(form.html), username: customer.username, password: customer.password } });
  assertRedirect(signedIn, '/connected-apps');
  const cookie = sessionCookieOf(signedIn)!.value;
  const list = await request('/connected-apps', { cookie });
  assert.equal(list.status, 200);
  return { cookie, csrf: csrfOf(list.html) };
}

/** A real grant of the partner for the customer, with an access and a refresh token under it. */
async function grantWithTokens(customerId: string) {
  const { provider } = portcullis;
  const client = (await provider.Client.find(partner.clientId))!;
  const grant = new provider.Grant({ accountId: customerId, clientId: partner.clientId });
  grant.addOIDCScope('openid accounts');
  const grantId = await grant.save();
  const accessToken = await new provider.AccessToken({ grantId, accountId: customerId, client, scope: 'openid accounts', gty: 'authorization_code' }).save();
  const refreshToken = await new provider.RefreshToken({ grantId, accountId: customerId, client, scope: 'openid accounts', gty: 'authorization_code' }).save();
  return { grantId, accessToken, refreshToken };
}

/** A consent of the customer's, of the partner's app unless `setup` names another client. */
function consentOf(customerId: string, setup: Omit<ConsentSetup, 'clientId'> & { clientId?: string } = {}): Promise<Consent> {
  return authorisedConsent(portcullis.db, customerId, { clientId: partner.clientId, ...setup });
}

describe('signing in', () => {
  test('a signed-out visitor is sent to the sign-in page (303) from every page, and a POST changes nothing', async () => {
    const consent = await consentOf(ALICE.id);
    assertRedirect(await request('/connected-apps'), '/connected-apps/sign-in');
    assertRedirect(await request(`/connected-apps/${consent.id}/revoke`), '/connected-apps/sign-in');
    assertRedirect(await request(`/connected-apps/${consent.id}/revoke`, { form: { csrf: 'x' } }), '/connected-apps/sign-in');
    assertRedirect(await request('/connected-apps/sign-out', { form: { csrf: 'x' } }), '/connected-apps/sign-in');
    assert.equal((await findConsent(portcullis.db, consent.id))!.status, 'Authorised');
  });

  test('the sign-in page: labelled fields, no inline code, security headers, not cached, an anonymous session cookie', async () => {
    const page = await request('/connected-apps/sign-in');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /^text\/html/);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    const csp = page.headers.get('content-security-policy')!;
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /script-src|unsafe-inline/);
    assert.match(page.headers.get('strict-transport-security')!, /max-age=31536000; includeSubDomains/);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    assert.doesNotMatch(page.html, /<script|<style|\sstyle=|\son[a-z]+=/i);
    assert.equal(page.html.match(/<h1>/g)?.length, 1);
    assert.match(page.html, /<label for="username">Username<\/label>\s*<input id="username" name="username"/);
    assert.match(page.html, /<label for="password">Password<\/label>\s*<input id="password" name="password" type="password"/);
    assert.match(page.html, /<form method="post" action="\/connected-apps\/sign-in"/);
    const cookie = sessionCookieOf(page);
    assert.ok(cookie, 'a session cookie for the CSRF token to be bound to');
    assertRedirect(await request('/connected-apps', { cookie: cookie.value }), '/connected-apps/sign-in');
  });

  test('the session cookie is __Host-, Secure, HttpOnly, SameSite=Strict, Path=/, without Domain, expiring in 15 minutes', async () => {
    const page = await request('/connected-apps/sign-in');
    const { header } = sessionCookieOf(page)!;
    const attributes = header.split(';').slice(1).map((attribute) => attribute.trim().toLowerCase());
    assert.ok(header.startsWith('__Host-portcullis-dashboard='));
    assert.ok(attributes.includes('secure'), header);
    assert.ok(attributes.includes('httponly'), header);
    assert.ok(attributes.includes('samesite=strict'), header);
    assert.ok(attributes.includes('path=/'), header);
    assert.equal(attributes.some((attribute) => attribute.startsWith('domain')), false, header);
    const expires = Date.parse(attributes.find((attribute) => attribute.startsWith('expires='))!.slice('expires='.length));
    assert.ok(Math.abs(expires - (Date.now() + SESSION_TTL_SECONDS * 1000)) < 5_000, header);
  });

  test('a wrong password, an unknown user or an empty field: 401 with one message, username kept, password not echoed, still signed out', async () => {
    const form = await request('/connected-apps/sign-in');
    const cookie = sessionCookieOf(form)!.value;
    const csrf = csrfOf(form.html);
    for (const [username, password] of [['alice', 'not-alice-pass'], ['nobody', 'alice-sandbox-pass'], ['alice', ''], ['', 'alice-sandbox-pass']] as const) {
      const answer = await request('/connected-apps/sign-in', { cookie, form: { csrf, username, password } });
      assert.equal(answer.status, 401, `${username}/${password}`);
      assert.match(answer.html, /<p class="error" role="alert" id="sign-in-error">The username or password is not right\. Check them and try again\.<\/p>/);
      assert.match(answer.html, new RegExp(`name="username"[^>]*value="${username}"`));
      assert.doesNotMatch(answer.html, /value="(alice-sandbox-pass|not-alice-pass)"/);
      assert.match(answer.html, /aria-describedby="sign-in-error"/);
      assert.match(answer.html, /<title>Error: Sign in to Connected apps · Portcullis Bank<\/title>/);
      assertRedirect(await request('/connected-apps', { cookie: sessionCookieOf(answer)!.value }), '/connected-apps/sign-in');
    }
  });

  test('sign-in without the CSRF token of the session, or without a session, is refused (403) and signs nobody in', async () => {
    const form = await request('/connected-apps/sign-in');
    const cookie = sessionCookieOf(form)!.value;
    const other = await request('/connected-apps/sign-in');
    for (const [fields, withCookie] of [[{}, cookie], [{ csrf: 'forged' }, cookie], [{ csrf: csrfOf(other.html) }, cookie], [{ csrf: csrfOf(form.html) }, undefined]] as const) {
      const answer = await request('/connected-apps/sign-in', { cookie: withCookie, form: { ...fields, username: ALICE.username, password: ALICE.password } });
      assert.equal(answer.status, 403);
      assert.match(answer.text, /This page has expired\. Go back to Connected apps and try again\./);
      assertRedirect(await request('/connected-apps', { cookie: sessionCookieOf(answer)?.value ?? cookie }), '/connected-apps/sign-in');
    }
  });

  test('signing in goes to /connected-apps whatever the request names, with a new session', async () => {
    const form = await request('/connected-apps/sign-in?next=https://evil.example/&return_to=//evil.example');
    const anonymous = sessionCookieOf(form)!.value;
    const answer = await request('/connected-apps/sign-in?next=https://evil.example/', {
      cookie: anonymous,
      form: { csrf: csrfOf(form.html), username: ALICE.username, password: ALICE.password, next: 'https://evil.example/', redirect_uri: 'https://evil.example/' },
      headers: { referer: 'https://evil.example/' },
    });
    assertRedirect(answer, '/connected-apps');
    const signedIn = sessionCookieOf(answer)!.value;
    assert.notEqual(signedIn, anonymous);
    const list = await request('/connected-apps', { cookie: signedIn });
    assert.equal(list.status, 200);
    assert.notEqual(csrfOf(list.html), csrfOf(form.html), 'the CSRF token from before sign-in is not valid after it');
    assertRedirect(await request('/connected-apps/sign-in', { cookie: signedIn }), '/connected-apps');
  });

  test('a tampered, expired or foreign cookie means signed out; one sealed with the derived key works', async () => {
    const secret = Buffer.from(hkdfSync('sha256', portcullis.secrets.keyEncryptionKey, '', 'portcullis dashboard sessions', 32));
    const now = Math.floor(Date.now() / 1000);
    const good = sealSession(secret, newSession(ALICE.id, now));
    assert.equal((await request('/connected-apps', { cookie: good })).status, 200, 'the test seals cookies as the server does');

    const expired = sealSession(secret, { ...newSession(ALICE.id, now), expiresAt: now - 1 });
    const foreign = sealSession(Buffer.alloc(32, 'another key'), newSession(ALICE.id, now));
    const [payload, tag] = good.split('.') as [string, string];
    const asBob = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), customerId: BOB.id })).toString('base64url');
    const { cookie: real } = await signIn();
    for (const [name, cookie] of [['expired', expired], ['foreign key', foreign], ['payload changed', `${asBob}.${tag}`], ['tag cut', `${payload}.${tag.slice(0, -4)}`], ['real cookie altered', `${real.slice(0, 10)}${real[10] === 'A' ? 'B' : 'A'}${real.slice(11)}`], ['garbage', 'garbage']]) {
      const answer = await request('/connected-apps', { cookie });
      assertRedirect(answer, '/connected-apps/sign-in');
      assert.equal(sessionCookieOf(answer), undefined, `${name}: not renewed`);
    }
  });
});

describe('the list', () => {
  test("shows the customer's authorised AIS and CBPII consents, newest first, in plain words with their accounts and dates", async () => {
    const unregisteredId = `client-${randomUUID()}`;
    await consentOf(ALICE.id, { status: 'Revoked' });
    await consentOf(ALICE.id, { status: 'Rejected' });
    await consentOf(ALICE.id, { status: 'AwaitingAuthorisation' });
    await consentOf(ALICE.id, { kind: 'domestic-payment' });
    const bobs = await consentOf(BOB.id, { accountIds: ['acc-0002-current'] });
    const expired = await consentOf(ALICE.id);
    await portcullis.db('consents').where({ id: expired.id }).update({ expires_at: new Date(Date.now() - 1_000) });
    const older = await consentOf(ALICE.id, { accountIds: ['acc-0001-current', 'acc-0001-savings'] });
    const funds = await consentOf(ALICE.id, { kind: 'funds-confirmation' });
    const gone = await consentOf(ALICE.id, { clientId: unregisteredId, consent: kinded('account-access', { Data: { Permissions: ['ReadBalances', 'ReadAccountsBasic'] }, Risk: {} }) });

    const { cookie } = await signIn();
    const page = await request('/connected-apps', { cookie });
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.doesNotMatch(page.html, /<script|<style|\sstyle=|\son[a-z]+=/i);
    assert.equal(page.html.match(/<h1>/g)?.length, 1);

    const shown = [...page.html.matchAll(/href="\/connected-apps\/([^/"]+)\/revoke"/g)].map(([, id]) => id);
    const mine = new Set([older.id, funds.id, gone.id]);
    assert.deepEqual(shown.filter((id) => mine.has(id!)), [gone.id, funds.id, older.id], 'newest first');
    assert.equal(shown.includes(bobs.id), false, "another customer's consent is not listed");
    assert.equal(shown.includes(expired.id), false, 'an authorised consent past its expiry is not listed');
    const listed = await portcullis.db('consents').whereIn('id', shown as string[]).select('customer_id', 'status', 'kind');
    assert.deepEqual(new Set(listed.map((row) => `${row.customer_id} ${row.status}`)), new Set([`${ALICE.id} Authorised`]), 'only her authorised consents');
    assert.equal(listed.some((row) => row.kind === 'domestic-payment'), false, 'payments are consumed, never revoked: not listed');
    assert.equal(shown.length, new Set(shown).size);

    const section = (id: string) => {
      const html = page.html.split('<li class="connected-app">').find((part) => part.includes(`/connected-apps/${id}/revoke`))!;
      return { html, text: html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ') };
    };
    const ais = section(older.id);
    assert.match(ais.html, /<h2>Budget Buddy<\/h2>/);
    assert.match(ais.text, /Provided by Budget Buddy Ltd/);
    assert.match(ais.html, /<img class="connected-app-logo" src="https:\/\/tpp\.example\/logo\.png" alt="Budget Buddy logo"/);
    assert.match(ais.text, /See your account information: Your account details Account names, types, sort codes and account numbers Your balances Your transactions from .+ money in and money out/);
    assert.match(ais.text, /From your accounts: Everyday account, sort code 04-00-04, account ending 5678 Rainy day savings, sort code 04-00-04, account ending 4321/);
    assert.doesNotMatch(ais.text, /12345678|87654321/, 'account numbers are masked');
    assert.match(ais.text, new RegExp(`Connected on ${spellDate(older.status_updated_at.toISOString())} Until ${spellDate(consentExpiry(older)!.toISOString())}`));
    assert.match(ais.text, /Stop sharing with Budget Buddy/);

    const cbpii = section(funds.id);
    assert.match(cbpii.text, /Check you have enough money for a payment: Whether your account has enough money for a payment Only a yes or no answer: never your balance/);
    assert.match(cbpii.text, /From your account: Everyday account, sort code 04-00-04, account ending 5678/);
    assert.doesNotMatch(cbpii.text, /Rainy day savings/, "only the consent's own account");

    const unregistered = section(gone.id);
    assert.match(unregistered.html, new RegExp(`<h2>${unregisteredId}</h2>`), 'a client no longer registered is named by its id');
    assert.doesNotMatch(unregistered.html, /<img/);
    assert.match(unregistered.text, /Your account details Account names and types, without account numbers Your balances/);
    assert.match(unregistered.text, /From your account: Everyday account/);
    assert.match(unregistered.text, /Until you stop sharing/);
  });

  test('a customer without connected apps is told so', async () => {
    const newcomer = { id: `cust-${randomUUID()}`, username: `carol-${randomUUID()}`, password: 'carol-test-pass' };
    await insertCustomerIfAbsent(portcullis.db, { id: newcomer.id, username: newcomer.username, password_hash: await hashPassword(newcomer.password), display_name: 'Carol Test' });
    await consentOf(newcomer.id, { status: 'Revoked' });
    const { cookie } = await signIn(newcomer);
    const page = await request('/connected-apps', { cookie });
    assert.equal(page.status, 200);
    assert.match(page.text, /You are not sharing your information with any apps\./);
    assert.doesNotMatch(page.html, /\/revoke"/);
  });
});

describe('stopping sharing', () => {
  test('the confirmation page names the app, what it will lose and that it cannot be undone; keeping is a link back', async () => {
    const consent = await consentOf(ALICE.id);
    const { cookie } = await signIn();
    const page = await request(`/connected-apps/${consent.id}/revoke`, { cookie });
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.match(page.html, /<h1>Stop sharing with Budget Buddy\?<\/h1>/);
    assert.match(page.text, /Budget Buddy will no longer see: Your account details Your balances Your transactions .+ It will lose access to this account: Everyday account, sort code 04-00-04, account ending 5678 This cannot be undone\./);
    assert.match(page.html, new RegExp(`<form method="post" action="/connected-apps/${consent.id}/revoke">\\s*<input type="hidden" name="csrf" value="[^"]+">\\s*<button type="submit" class="danger">Stop sharing</button>`));
    assert.match(page.html, /<a class="dashboard-button" href="\/connected-apps">Keep sharing<\/a>/);
    assert.doesNotMatch(page.html, /<script|<style|\sstyle=|\son[a-z]+=/i);
  });

  test('revoking: the consent is Revoked by the customer, its grant and tokens are gone at once, and the list says so', async () => {
    const tokens = await grantWithTokens(ALICE.id);
    const consent = await consentOf(ALICE.id, { grantId: tokens.grantId });
    const { provider } = portcullis;
    assert.ok(await provider.AccessToken.find(tokens.accessToken), 'the access token exists before');
    assert.equal((await oc.tokenIntrospection(partner.introspection, tokens.accessToken)).active, true);
    assert.equal((await oc.tokenIntrospection(partner.introspection, tokens.refreshToken)).active, true);

    const { cookie } = await signIn();
    const confirm = await request(`/connected-apps/${consent.id}/revoke`, { cookie });
    const answer = await request(`/connected-apps/${consent.id}/revoke`, { cookie, form: { csrf: csrfOf(confirm.html) } });
    assertRedirect(answer, `/connected-apps?revoked=${consent.id}`);

    assert.equal((await findConsent(portcullis.db, consent.id))!.status, 'Revoked');
    const history = await listStatusHistory(portcullis.db, consent.id);
    assert.deepEqual(history.at(-1)!.status, 'Revoked');
    assert.equal(history.at(-1)!.actor, 'customer');
    assert.equal(history.at(-1)!.reason, 'revoked by the customer in Connected apps');
    assert.equal(await provider.AccessToken.find(tokens.accessToken), undefined);
    assert.equal(await provider.RefreshToken.find(tokens.refreshToken), undefined);
    assert.equal(await provider.Grant.find(tokens.grantId), undefined);
    assert.deepEqual(await oc.tokenIntrospection(partner.introspection, tokens.accessToken), { active: false });
    assert.deepEqual(await oc.tokenIntrospection(partner.introspection, tokens.refreshToken), { active: false });

    const list = await request(`/connected-apps?revoked=${consent.id}`, { cookie });
    assert.match(list.html, /<div class="dashboard-notice" role="status" tabindex="-1" autofocus>\s*<p><strong>You have stopped sharing with Budget Buddy\.<\/strong> It can no longer see your information\.<\/p>/);
    assert.doesNotMatch(list.html, new RegExp(`/connected-apps/${consent.id}/revoke`));

    const again = await request(`/connected-apps/${consent.id}/revoke`, { cookie, form: { csrf: csrfOf(confirm.html) } });
    assertRedirect(again, `/connected-apps?revoked=${consent.id}`);
    assert.equal((await listStatusHistory(portcullis.db, consent.id)).length, history.length, 'a second click changes nothing');
    assert.equal((await request(`/connected-apps/${consent.id}/revoke`, { cookie })).status, 404, 'nothing left to confirm');
  });

  test('without the CSRF token, with a wrong one, or with another session\'s, revoking is refused (403) and changes nothing', async () => {
    const tokens = await grantWithTokens(ALICE.id);
    const consent = await consentOf(ALICE.id, { grantId: tokens.grantId });
    const { cookie } = await signIn();
    const { csrf: othersToken } = await signIn();
    for (const form of [{}, { csrf: '' }, { csrf: 'not-the-token' }, { csrf: othersToken }] as Array<Record<string, string>>) {
      const answer = await request(`/connected-apps/${consent.id}/revoke`, { cookie, form });
      assert.equal(answer.status, 403, JSON.stringify(form));
      assert.match(answer.text, /This page has expired\. Go back to Connected apps and try again\./);
    }
    assert.equal((await findConsent(portcullis.db, consent.id))!.status, 'Authorised');
    assert.equal((await listStatusHistory(portcullis.db, consent.id)).length, 2);
    assert.ok(await portcullis.provider.AccessToken.find(tokens.accessToken));
  });

  test("another customer's consent, a payment, an ended or unknown consent: 404 on both pages, nothing changed, nothing revealed", async () => {
    const bobsTokens = await grantWithTokens(BOB.id);
    const bobs = await consentOf(BOB.id, { grantId: bobsTokens.grantId, accountIds: ['acc-0002-current'] });
    const payment = await consentOf(ALICE.id, { kind: 'domestic-payment' });
    const rejected = await consentOf(ALICE.id, { status: 'Rejected' });
    const awaiting = await consentOf(ALICE.id, { status: 'AwaitingAuthorisation' });
    const { cookie, csrf } = await signIn();
    for (const id of [bobs.id, payment.id, rejected.id, awaiting.id, `aac-${randomUUID()}`]) {
      const page = await request(`/connected-apps/${id}/revoke`, { cookie });
      const post = await request(`/connected-apps/${id}/revoke`, { cookie, form: { csrf } });
      for (const answer of [page, post]) {
        assert.equal(answer.status, 404, id);
        assert.match(answer.html, /<h1>We could not find that connected app<\/h1>/);
        assert.doesNotMatch(answer.text, /Budget Buddy|Bob|Current account/);
      }
    }
    for (const id of ['a%20b', 'x'.repeat(129), '..%2F..%2Fetc']) {
      assert.equal((await request(`/connected-apps/${id}/revoke`, { cookie })).status, 404, id);
    }
    assert.equal((await findConsent(portcullis.db, bobs.id))!.status, 'Authorised');
    assert.equal((await listStatusHistory(portcullis.db, bobs.id)).length, 2);
    assert.ok(await portcullis.provider.AccessToken.find(bobsTokens.accessToken), "Bob's token lives on");
    assert.equal((await findConsent(portcullis.db, payment.id))!.status, 'Authorised');

    await portcullis.db('consents').where({ id: bobs.id }).update({ status: 'Revoked' });
    const notice = await request(`/connected-apps?revoked=${bobs.id}`, { cookie });
    assert.equal(notice.status, 200);
    assert.doesNotMatch(notice.html, /role="status"/, "no notice for another customer's revoked consent");
    assert.doesNotMatch((await request('/connected-apps?revoked=%3Cscript%3E', { cookie })).html, /role="status"|<script/);
  });
});

describe('signing out', () => {
  test('ends the session (the cookie is dropped with its attributes) and says so; needs the CSRF token', async () => {
    const { cookie, csrf } = await signIn();
    const refused = await request('/connected-apps/sign-out', { cookie, form: { csrf: 'forged' } });
    assert.equal(refused.status, 403);
    assert.equal((await request('/connected-apps', { cookie })).status, 200, 'still signed in');

    const answer = await request('/connected-apps/sign-out', { cookie, form: { csrf } });
    assertRedirect(answer, '/connected-apps/sign-in?signed-out');
    const { value, header } = sessionCookieOf(answer)!;
    assert.equal(value, '');
    assert.match(header, /expires=Thu, 01 Jan 1970 00:00:00 GMT/);
    assert.match(header, /path=\/; .*samesite=strict; secure; httponly/);

    const page = await request('/connected-apps/sign-in?signed-out');
    assert.match(page.html, /<p class="dashboard-notice" role="status">You have signed out\.<\/p>/);
  });
});
