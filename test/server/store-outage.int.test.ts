/**
 * A PostgreSQL outage, end to end: the app's store reaches the database through a TCP proxy that
 * the test cuts and restores (the server itself is shared and never stopped). While the database is
 * away, every surface answers 503 with Retry-After, quickly and in its own error format; once it is
 * back, the same requests succeed again in the same process, without a restart.
 *
 * PostgreSQL only: PGlite runs inside the test process and cannot go away on its own. The
 * classifier and the renderers have unit tests that run on both stores.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test, type TestContext } from 'node:test';
import { setTimeout } from 'node:timers/promises';

import * as oc from 'openid-client';

import { createSoftwareKeys } from '../../sandbox/directory/software-keys.ts';
import { signRegistrationRequest } from '../../sandbox/directory/sign-registration-request.ts';
import { defaults } from '../../src/config/defaults.ts';
import { CONSENT_KINDS } from '../../src/consent/consent-kinds.ts';
import { openStore } from '../../src/db/knex.ts';
import { accountAccessBody } from '../consent/consent-bodies.ts';
import { CustomerBrowser, offeredChoices } from '../helpers/customer-browser.ts';
import { startDatabaseProxy, type DatabaseProxy, type OutageKind } from '../helpers/database-proxy.ts';
import { obPartner, type ObPartner } from '../helpers/ob-partner.ts';
import { ACCOUNT_ACCESS_DETAILS, REDIRECT_URI } from '../helpers/partner-client.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { clientAssertion } from '../helpers/raw-oauth.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';

const databaseUrl = process.env.DATABASE_URL;
const skip = databaseUrl ? false : 'PostgreSQL only (set DATABASE_URL): PGlite runs in the test process and cannot go down on its own';

const AIS = CONSENT_KINDS['account-access'].path;
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const RETRY_AFTER = String(defaults.store.retryAfter);
const COOKIE = '__Host-portcullis-dashboard';
/** Sent on every consent API call, and echoed on every answer. */
const INTERACTION_ID = randomUUID();

/**
 * How soon an outage must be answered, ms. A refused connection fails at once; a silent database
 * costs at most a connect timeout (new connections) or a query timeout (open ones); one second on
 * top for a busy test machine.
 */
const REFUSED_BOUND_MS = 2_000;
const SILENT_BOUND_MS = Math.max(defaults.store.connectTimeout, defaults.store.queryTimeout) * 1000 + 1_000;
/** Requests are abandoned after this, so that the old behaviour (a 60 s pool wait) fails the test rather than stalling it. */
const GIVE_UP_MS = 15_000;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  ms: number;
}

let proxy: DatabaseProxy;
let portcullis: TestPortcullis;
let partner: ObPartner;
let fetchMtls: typeof fetch;
let fetchTls: typeof fetch;
let accountsToken: string;
let consentId: string;
/** Customer pages under way, each with the cookies and CSRF token its browser holds. */
let loginPage: BrowserPage;
let consentPage: BrowserPage;
let dashboardSignInPage: BrowserPage;
/** A signed-in Connected apps session. */
let dashboardCookie: string;

interface BrowserPage {
  url: string;
  cookie: string;
  csrf: string;
  /** What the customer would tick or choose on it. */
  choices?: Record<string, string>;
}

/** One request, timed, never following redirects, abandoned after GIVE_UP_MS. */
async function send(fetchImpl: typeof fetch, url: string, init: RequestInit = {}): Promise<Answer> {
  const started = performance.now();
  const response = await fetchImpl(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(GIVE_UP_MS) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, ms: Math.round(performance.now() - started) };
}

function form(fields: Record<string, string>): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() };
}

async function assertion() {
  return { client_assertion_type: ASSERTION_TYPE, client_assertion: await clientAssertion(partner.keys, partner.clientId, portcullis.config.issuer) };
}

function cookiesOf(response: Answer): string {
  return response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
}

/** Every request of the outage, by surface. Each returns its answer; the tests judge it. */
const requests = {
  async consentRead() {
    return send(fetchMtls, `${portcullis.urls.partner}${AIS}/${consentId}`, { headers: { accept: 'application/json', authorization: `Bearer ${accountsToken}`, 'x-fapi-interaction-id': INTERACTION_ID } });
  },
  async consentCreate() {
    return send(fetchMtls, `${portcullis.urls.partner}${AIS}`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json', authorization: `Bearer ${accountsToken}`, 'x-idempotency-key': randomUUID(), 'x-fapi-interaction-id': INTERACTION_ID },
      body: JSON.stringify(accountAccessBody()),
    });
  },
  async token() {
    return send(fetchMtls, `${portcullis.urls.partner}/token`, form({ grant_type: 'client_credentials', scope: 'accounts', ...(await assertion()) }));
  },
  async par() {
    return send(fetchMtls, `${portcullis.urls.partner}/par`, form({
      client_id: partner.clientId,
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'openid accounts',
      authorization_details: ACCOUNT_ACCESS_DETAILS,
      code_challenge: await oc.calculatePKCECodeChallenge(oc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      ...(await assertion()),
    }));
  },
  async introspection() {
    return send(fetchMtls, `${portcullis.urls.partner}/token/introspect`, form({ token: accountsToken, ...(await assertion()) }));
  },
  async revocation() {
    return send(fetchMtls, `${portcullis.urls.partner}/token/revoke`, form({ token: randomBytes(32).toString('base64url'), ...(await assertion()) }));
  },
  async userinfo() {
    return send(fetchMtls, `${portcullis.urls.partner}/userinfo`, { headers: { authorization: `Bearer ${randomBytes(32).toString('base64url')}` } });
  },
  /** UK DCR signed request: its jti goes to the replay store in our middleware, in front of the provider. */
  async registrationSigned() {
    const software = await createSoftwareKeys('PS256');
    const softwareId = `software-${randomUUID()}`;
    const ssa = await portcullis.directory.issueSoftwareStatement({ software_id: softwareId, software_redirect_uris: [REDIRECT_URI], software_roles: ['AISP'], software_jwks: software.jwks });
    const body = await signRegistrationRequest({ software_statement: ssa, token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'PS256', redirect_uris: [REDIRECT_URI], grant_types: ['client_credentials'] }, software, { audience: portcullis.config.issuer, softwareId });
    return send(fetchTls, `${portcullis.urls.browser}/register`, { method: 'POST', headers: { 'content-type': 'application/jwt' }, body });
  },
  /** JSON with a software statement: nothing of ours touches the store; the provider's save does. */
  async registrationJson() {
    const software = await createSoftwareKeys('PS256');
    const ssa = await portcullis.directory.issueSoftwareStatement({ software_id: `software-${randomUUID()}`, software_redirect_uris: [REDIRECT_URI], software_roles: ['AISP'], software_jwks: software.jwks });
    const body = JSON.stringify({ software_statement: ssa, token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'PS256', redirect_uris: [REDIRECT_URI], grant_types: ['client_credentials'] });
    return send(fetchTls, `${portcullis.urls.browser}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  },
  /** A pushed request's URI: the request itself lives in the store. */
  async authorize() {
    return send(fetchTls, `${portcullis.urls.browser}/authorize?client_id=${partner.clientId}&request_uri=${encodeURIComponent(`urn:ietf:params:oauth:request_uri:${randomBytes(16).toString('base64url')}`)}`);
  },
  async loginPage() {
    return send(fetchTls, loginPage.url, { headers: { cookie: loginPage.cookie } });
  },
  async loginSubmit() {
    return send(fetchTls, `${loginPage.url}/login`, formFrom(loginPage, { username: 'alice', password: 'alice-sandbox-pass' }));
  },
  async consentPage() {
    return send(fetchTls, consentPage.url, { headers: { cookie: consentPage.cookie } });
  },
  async consentConfirm() {
    return send(fetchTls, `${consentPage.url}/confirm`, formFrom(consentPage, consentPage.choices!));
  },
  /** The throttle counts the attempt in the store before the password is checked. */
  async dashboardSignIn() {
    return send(fetchTls, dashboardSignInPage.url, formFrom(dashboardSignInPage, { username: 'alice', password: 'alice-sandbox-pass' }));
  },
  async connectedApps() {
    return send(fetchTls, `${portcullis.urls.browser}/connected-apps`, { headers: { cookie: `${COOKIE}=${dashboardCookie}` } });
  },
  async portalCatalog() {
    return send(fetchTls, `${portcullis.urls.browser}/apis`);
  },
  async readyBrowser() {
    return send(fetchTls, `${portcullis.urls.browser}/readyz`);
  },
  async readyPartner() {
    return send(fetchMtls, `${portcullis.urls.partner}/readyz`);
  },
};

type Surface = keyof typeof requests;

/** A form POST from `page`'s browser: its cookies and CSRF token, and `fields`. */
function formFrom(page: BrowserPage, fields: Record<string, string>): RequestInit {
  const init = form({ csrf: page.csrf, ...fields });
  return { ...init, headers: { ...(init.headers as Record<string, string>), cookie: page.cookie } };
}

function csrfOf(html: string): string {
  return /name="csrf" value="([^"]+)"/.exec(html)![1]!;
}

/** Pushes an authorization request and sends a customer's browser to it; returns the browser and the login page. */
async function startAuthorization(): Promise<{ browser: CustomerBrowser; page: { url: URL; status: number; html: string } }> {
  const pushed = await requests.par();
  assert.equal(pushed.status, 201, pushed.text);
  const authorize = new URL(`${portcullis.urls.browser}/authorize?client_id=${partner.clientId}&request_uri=${encodeURIComponent(JSON.parse(pushed.text).request_uri)}`);
  const browser = new CustomerBrowser(fetchTls, [portcullis.urls.browser]);
  const { page } = await browser.open(authorize);
  assert.equal(page?.status, 200, page?.html.slice(0, 300));
  return { browser, page: page! };
}

/** The login page of an authorization under way. */
async function openLoginPage(): Promise<BrowserPage> {
  const { browser, page } = await startAuthorization();
  return { url: page.url.href, cookie: browser.cookieHeader(), csrf: csrfOf(page.html) };
}

/** The consent page of an authorization under way, Alice signed in. */
async function openConsentPage(): Promise<BrowserPage> {
  const { browser, page } = await startAuthorization();
  const { page: consent } = await browser.signIn(page, { username: 'alice', password: 'alice-sandbox-pass' });
  assert.equal(consent?.status, 200, consent?.html.slice(0, 300));
  assert.match(consent!.html, /action="[^"]*\/confirm"/);
  return { url: consent!.url.href, cookie: browser.cookieHeader(), csrf: csrfOf(consent!.html), choices: offeredChoices(consent!.html) };
}

async function openDashboardSignIn(): Promise<BrowserPage> {
  const url = `${portcullis.urls.browser}/connected-apps/sign-in`;
  const page = await send(fetchTls, url);
  assert.equal(page.status, 200);
  return { url, cookie: cookiesOf(page), csrf: csrfOf(page.text) };
}

async function signInToDashboard(): Promise<string> {
  const signedIn = await requests.dashboardSignIn();
  assert.equal(signedIn.status, 303, signedIn.text);
  return cookiesOf(signedIn).split('=').slice(1).join('=');
}

function assertQuick(t: TestContext, surface: string, answer: Answer, boundMs: number): void {
  t.diagnostic(`${surface}: ${answer.status} in ${answer.ms} ms`);
  assert.ok(answer.ms < boundMs, `${surface} answered in ${answer.ms} ms, over ${boundMs} ms`);
}

function assertObUnavailable(surface: string, answer: Answer): void {
  assert.equal(answer.status, 503, `${surface}: ${answer.text}`);
  assert.equal(answer.headers.get('retry-after'), RETRY_AFTER);
  assert.equal(answer.headers.get('cache-control'), 'no-store');
  assert.equal(answer.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(answer.headers.get('x-fapi-interaction-id'), INTERACTION_ID);
  const body = JSON.parse(answer.text);
  assert.match(body.Id, /^[0-9a-f-]{36}$/);
  const message = 'The service is temporarily unavailable; try again later';
  assert.deepEqual(body, { Code: '503 ServiceUnavailable', Id: body.Id, Message: message, Errors: [{ ErrorCode: 'UK.OBIE.UnexpectedError', Message: message }] });
}

function assertOAuthUnavailable(surface: string, answer: Answer): void {
  assert.equal(answer.status, 503, `${surface}: ${answer.text}`);
  assert.equal(answer.headers.get('retry-after'), RETRY_AFTER, surface);
  assert.equal(answer.headers.get('cache-control'), 'no-store', surface);
  assert.match(answer.headers.get('content-type') ?? '', /^application\/json; charset=utf-8$/, surface);
  assert.deepEqual(JSON.parse(answer.text), { error: 'temporarily_unavailable', error_description: 'the service is temporarily unavailable, try again later' }, surface);
}

function assertPageUnavailable(surface: string, answer: Answer): void {
  assert.equal(answer.status, 503, `${surface}: ${answer.text.slice(0, 300)}`);
  assert.equal(answer.headers.get('retry-after'), RETRY_AFTER, surface);
  assert.equal(answer.headers.get('cache-control'), 'no-store', surface);
  assert.equal(answer.headers.get('content-type'), 'text/html; charset=utf-8', surface);
  assert.match(answer.text, /<p>This service is temporarily unavailable\. Please try again in a minute\.<\/p>/, surface);
  assert.doesNotMatch(answer.text, /ECONN|terminated|timeout|knex|select |insert /i, `${surface}: nothing of the driver leaks`);
}

function assertPortalPageUnavailable(surface: string, answer: Answer): void {
  assertPageUnavailable(surface, answer);
  assert.match(answer.text, /<title>Error: Something went wrong · Portcullis Developers<\/title>/, `${surface}: in the portal's own layout`);
}

function assertNotReady(surface: string, answer: Answer): void {
  assert.equal(answer.status, 503, surface);
  assert.equal(answer.headers.get('retry-after'), RETRY_AFTER, surface);
  assert.deepEqual(JSON.parse(answer.text), { status: 'unavailable', store: 'unreachable' });
}

const JUDGES: Record<Surface, (surface: string, answer: Answer) => void> = {
  consentRead: assertObUnavailable,
  consentCreate: assertObUnavailable,
  token: assertOAuthUnavailable,
  par: assertOAuthUnavailable,
  introspection: assertOAuthUnavailable,
  revocation: assertOAuthUnavailable,
  userinfo: assertOAuthUnavailable,
  registrationSigned: assertOAuthUnavailable,
  registrationJson: assertOAuthUnavailable,
  authorize: assertPageUnavailable,
  loginPage: assertPageUnavailable,
  loginSubmit: assertPageUnavailable,
  consentPage: assertPageUnavailable,
  consentConfirm: assertPageUnavailable,
  dashboardSignIn: assertPageUnavailable,
  connectedApps: assertPageUnavailable,
  portalCatalog: assertPortalPageUnavailable,
  readyBrowser: assertNotReady,
  readyPartner: assertNotReady,
};

/** With the database back, each surface works again: what each answers when all is well. */
async function assertServing(): Promise<void> {
  const read = await requests.consentRead();
  assert.equal(read.status, 200, read.text);
  assert.equal(JSON.parse(read.text).Data.ConsentId, consentId);
  assert.equal((await requests.portalCatalog()).status, 200);
  assert.equal((await requests.consentCreate()).status, 201);
  const token = await requests.token();
  assert.equal(token.status, 200, token.text);
  assert.equal((await requests.par()).status, 201);
  const introspection = await requests.introspection();
  assert.equal(introspection.status, 200, introspection.text);
  assert.equal(JSON.parse(introspection.text).active, true);
  assert.equal((await requests.revocation()).status, 200);
  assert.equal((await requests.userinfo()).status, 401, 'an unknown token is refused as such, not as an outage');
  assert.equal((await requests.registrationSigned()).status, 201);
  assert.equal((await requests.registrationJson()).status, 201);
  // The customer reloads the pages the outage interrupted, and carries on.
  const login = await requests.loginPage();
  assert.equal(login.status, 200, login.text.slice(0, 300));
  assert.match(login.text, /name="username"/);
  const consent = await requests.consentPage();
  assert.equal(consent.status, 200, consent.text.slice(0, 300));
  assert.match(consent.text, /action="[^"]*\/confirm"/);
  await openLoginPage();
  const apps = await requests.connectedApps();
  assert.equal(apps.status, 200, apps.text.slice(0, 300));
  assert.equal((await requests.readyBrowser()).status, 200);
  assert.equal((await requests.readyPartner()).status, 200);
}

async function duringOutage(t: TestContext, kind: OutageKind, boundMs: number, surfaces: readonly Surface[]): Promise<void> {
  await proxy.cut(kind);
  try {
    for (const surface of surfaces) {
      const answer = await requests[surface]();
      assertQuick(t, surface, answer, boundMs);
      JUDGES[surface](surface, answer);
    }
  } finally {
    await proxy.restore();
  }
}

describe('a database outage', { skip }, () => {
  before(async () => {
    proxy = await startDatabaseProxy(databaseUrl!);
    portcullis = await startTestPortcullis({ ACCESS_TOKEN_FORMAT: 'opaque' }, { store: openStore({ databaseUrl: proxy.url }) });
    fetchMtls = tlsFetch(portcullis.caPem, portcullis.sampleClient);
    fetchTls = tlsFetch(portcullis.caPem);
    partner = await obPartner(portcullis, { roles: ['AISP'], scope: 'openid accounts' });
    accountsToken = await partner.token('accounts');
    const created = await partner.call('POST', AIS, { body: accountAccessBody(), token: accountsToken });
    assert.equal(created.status, 201, created.text);
    consentId = created.json.Data.ConsentId;
    loginPage = await openLoginPage();
    consentPage = await openConsentPage();
    dashboardSignInPage = await openDashboardSignIn();
    dashboardCookie = await signInToDashboard();
  });
  after(async () => {
    await portcullis?.close();
    await proxy?.close();
  });

  test('database down (connections refused): every surface answers 503 with Retry-After at once, in its own format; then serves again without a restart', async (t) => {
    await duringOutage(t, 'refused', REFUSED_BOUND_MS, Object.keys(requests) as Surface[]);
    await assertServing();
  });

  test('database silent (connections accepted, never answered): still a quick 503, then recovery', async (t) => {
    // Warm the pool, so that open connections go silent as well as new ones.
    await assertServing();
    await duringOutage(t, 'black-hole', SILENT_BOUND_MS, ['consentRead', 'token', 'par', 'authorize', 'loginPage', 'consentConfirm', 'dashboardSignIn', 'readyPartner']);
    await assertServing();
  });

  test('a short outage while the pool is idle: the connections it reset are dropped, never handed out again', async () => {
    await assertServing();
    await proxy.cut('refused');
    // Long enough for the resets to reach the app's sockets; no request is made meanwhile.
    await setTimeout(200);
    await proxy.restore();
    await assertServing();
  });
});
