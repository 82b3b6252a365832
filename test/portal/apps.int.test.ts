/**
 * Applications in the portal over real TLS against the real app, store and gateway: create one,
 * subscribe it (a free plan at once, another on request), issue a key shown once, call the gateway
 * with it, rotate with an overlap and revoke (refused within a second); and every bad request.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { hashApiKey } from '../../src/gateway/consumers/api-key-format.ts';
import { eventually } from '../helpers/eventually.ts';
import { addTestApi, addTestPlan } from '../helpers/gateway-catalogue.ts';
import { csrfIn, insertVerifiedDeveloper, type PortalBrowser, signedInBrowser } from '../helpers/portal-browser.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';
import { startUpstreamServer, type UpstreamServer } from '../helpers/upstream-server.ts';

let portcullis: TestPortcullis;
let upstream: UpstreamServer;
let call: typeof fetch;
const suffix = randomUUID().slice(0, 8);
const basePath = `/rates-${suffix}/v1`;
const freePlanName = `starter-${suffix}`;
const paidPlanName = `business-${suffix}`;
let freePlan: string;
let paidPlan: string;

before(async () => {
  upstream = await startUpstreamServer();
  portcullis = await startTestPortcullis();
  call = tlsFetch(portcullis.caPem);
  const { id: apiId } = await addTestApi(portcullis.db, portcullis.events, { version: 'v1', basePath, authKind: 'api-key', upstreams: [{ url: upstream.url, weight: 100 }], routes: [{ method: 'GET', path: '/rates' }] });
  freePlan = await addTestPlan(portcullis.db, portcullis.events, { name: freePlanName, apiIds: [apiId], ratePerMinute: 600 });
  paidPlan = await addTestPlan(portcullis.db, portcullis.events, { name: paidPlanName, apiIds: [apiId], ratePerSecond: 20, selfService: false, priceMinorUnits: 4900 });
});
after(async () => {
  await portcullis?.close();
  await upstream?.close();
});

const gateway = (key: string) => call(`${portcullis.urls.public}${basePath}/rates`, { headers: { 'x-api-key': key } });
const keyIn = (html: string) => html.match(/id="issued-key" value="(pck_[^"]+)"/)?.[1];

async function developerWithApp(): Promise<{ browser: PortalBrowser; appPath: string; applicationId: string }> {
  const developer = await insertVerifiedDeveloper(portcullis.db);
  const browser = await signedInBrowser(portcullis.caPem, portcullis.urls.browser, developer);
  const organisation = await browser.submit('/organisations/new', '/organisations', { name: 'Rates Ltd' });
  const organisationPath = organisation.headers.get('location')!.replace(/\?.*$/, '');
  const created = await browser.submit(`${organisationPath}/apps/new`, `${organisationPath}/apps`, { name: 'Currency widget' });
  assert.equal(created.status, 303);
  const appPath = created.headers.get('location')!.replace(/\?.*$/, '');
  return { browser, appPath, applicationId: decodeURIComponent(appPath.split('/')[2]!) };
}

/** Posts a form found on the application's page (the first whose action matches). */
async function submitOnPage(browser: PortalBrowser, appPath: string, action: string | RegExp, fields: Record<string, string> = {}): Promise<Response> {
  const html = await (await browser.get(appPath)).text();
  const found = typeof action === 'string' ? action : html.match(action)?.[0];
  assert.ok(found && html.includes(`action="${found}"`), `no form ${String(action)} on the page`);
  return browser.post(found, { csrf: csrfIn(html), ...fields });
}

describe('an application in the portal', () => {
  test('subscribe to the free plan, take a key shown once, call the gateway; rotate and revoke stop keys within a second', async () => {
    const { browser, appPath, applicationId } = await developerWithApp();
    const fresh = await (await browser.get(`${appPath}?created`)).text();
    assert.match(fresh, /Your application has been created/);
    assert.match(fresh, /The application has no plan yet/);

    const subscribed = await submitOnPage(browser, appPath, `${appPath}/subscriptions`, { planId: freePlan });
    assert.equal(subscribed.headers.get('location'), `${appPath}?subscribed`);
    const requested = await submitOnPage(browser, appPath, `${appPath}/subscriptions`, { planId: paidPlan });
    assert.equal(requested.headers.get('location'), `${appPath}?requested`);
    const plans = await (await browser.get(appPath)).text();
    assert.match(plans, new RegExp(`${freePlanName}</td>[\\s\\S]*?600 calls a minute; Free</td>\\s*<td data-label="Status">Active`));
    assert.match(plans, new RegExp(`${paidPlanName}</td>[\\s\\S]*?20 calls a second; £49.00 a month</td>\\s*<td data-label="Status">Waiting for approval`));

    const issued = await submitOnPage(browser, appPath, `${appPath}/keys`);
    assert.equal(issued.status, 201);
    assert.equal(issued.headers.get('cache-control'), 'no-store');
    assert.match(issued.headers.get('content-security-policy')!, /script-src 'self'/);
    const issuedHtml = await issued.text();
    const key = keyIn(issuedHtml)!;
    assert.match(key, /^pck_/);
    assert.ok(issuedHtml.includes(`curl -H "X-API-Key: ${key}"`), 'the example call carries the key');
    assert.ok(issuedHtml.includes(`${portcullis.urls.public}${basePath}/rates`));
    const stored = await portcullis.db('api_keys').where({ application_id: applicationId });
    assert.equal(stored.length, 1);
    assert.equal(stored[0].key_hash, hashApiKey(key));
    assert.equal(JSON.stringify(stored).includes(key), false, 'only a hash is kept');
    const again = await (await browser.get(appPath)).text();
    assert.equal(keyIn(again), undefined, 'shown once');
    assert.ok(again.includes(`<code class="key-prefix">pck_${stored[0].prefix}_…</code>`));
    assert.doesNotMatch((await browser.get(appPath)).headers.get('content-security-policy')!, /script-src/);

    await eventually(async () => (await gateway(key)).status === 200, { withinMs: 2_000, what: 'the first call' });

    const rotated = await submitOnPage(browser, appPath, /\/apps\/[^"]+\/keys\/[^"]+\/rotate/, { overlap: '0' });
    assert.equal(rotated.status, 201);
    const newKey = keyIn(await rotated.text())!;
    assert.notEqual(newKey, key);
    await eventually(async () => (await gateway(key)).status === 401, { withinMs: 1_000, what: 'the rotated-out key refused' });
    assert.equal((await gateway(newKey)).status, 200);

    const revoked = await submitOnPage(browser, appPath, /\/apps\/[^"]+\/keys\/[^"]+\/revoke/);
    assert.equal(revoked.headers.get('location'), `${appPath}?revoked`);
    await eventually(async () => (await gateway(newKey)).status === 401, { withinMs: 1_000, what: 'the revoked key refused' });
    const ended = await (await browser.get(appPath)).text();
    assert.match(ended, /Revoked \d+ \w+ \d{4}, \d\d:\d\d UTC/);
    assert.doesNotMatch(ended, /\/revoke"/, 'nothing left to revoke');
  });

  test('a rotation with an overlap keeps the old key working until its end', async () => {
    const { browser, appPath } = await developerWithApp();
    await submitOnPage(browser, appPath, `${appPath}/subscriptions`, { planId: freePlan });
    const key = keyIn(await (await submitOnPage(browser, appPath, `${appPath}/keys`)).text())!;
    const rotated = await submitOnPage(browser, appPath, /\/apps\/[^"]+\/keys\/[^"]+\/rotate/, { overlap: '3600' });
    const html = await rotated.text();
    assert.match(html, /The key it replaces works until/);
    const newKey = keyIn(html)!;
    await eventually(async () => (await gateway(newKey)).status === 200, { withinMs: 2_000, what: 'the new key' });
    assert.equal((await gateway(key)).status, 200, 'the old key still works in the overlap');
    assert.match(await (await browser.get(appPath)).text(), /Works until .* UTC \(replaced\)/);
  });

  test('bad requests: no plan, an unknown plan, twice the same, a made-up overlap, a key of another application (each 4xx, nothing changed)', async () => {
    const { browser, appPath, applicationId } = await developerWithApp();
    const noPlan = await submitOnPage(browser, appPath, `${appPath}/subscriptions`, {});
    assert.equal(noPlan.status, 400);
    assert.match(await noPlan.text(), /<li><a href="#planId">Choose a plan<\/a><\/li>/);
    assert.equal((await submitOnPage(browser, appPath, `${appPath}/subscriptions`, { planId: 'plan-nonexistent' })).status, 404);
    assert.equal((await submitOnPage(browser, appPath, `${appPath}/subscriptions`, { planId: freePlan })).status, 303);
    const html = await (await browser.get(appPath)).text();
    assert.equal((await browser.post(`${appPath}/subscriptions`, { csrf: csrfIn(html), planId: freePlan })).status, 409);
    await submitOnPage(browser, appPath, `${appPath}/keys`);
    assert.equal((await submitOnPage(browser, appPath, /\/apps\/[^"]+\/keys\/[^"]+\/rotate/, { overlap: '5' })).status, 400);
    assert.equal((await submitOnPage(browser, appPath, /\/apps\/[^"]+\/keys\/[^"]+\/rotate/, {})).status, 400);

    const other = await developerWithApp();
    await submitOnPage(other.browser, other.appPath, `${other.appPath}/keys`);
    const [otherKey] = await portcullis.db('api_keys').where({ application_id: other.applicationId });
    const page = await (await browser.get(appPath)).text();
    assert.equal((await browser.post(`${appPath}/keys/${otherKey.id}/revoke`, { csrf: csrfIn(page) })).status, 404);
    assert.equal((await browser.post(`${appPath}/keys/${otherKey.id}/rotate`, { csrf: csrfIn(page), overlap: '0' })).status, 404);
    assert.equal((await browser.get(other.appPath)).status, 404, 'another organisation\'s application');
    assert.equal((await browser.post(`${other.appPath}/keys`, { csrf: csrfIn(page) })).status, 404);
    const otherKeyNow = await portcullis.db('api_keys').where({ id: otherKey.id }).first();
    assert.equal(otherKeyNow.revoked_at, null);
    assert.equal(otherKeyNow.expires_at, null);
    assert.equal((await portcullis.db('api_keys').where({ application_id: applicationId })).length, 1);
    assert.equal((await portcullis.db('api_keys').where({ application_id: other.applicationId })).length, 1);

    const [subscription] = await portcullis.db('subscriptions').where({ application_id: applicationId });
    assert.equal((await submitOnPage(browser, appPath, `${appPath}/subscriptions/${subscription.id}/cancel`)).headers.get('location'), `${appPath}?cancelled`);
    assert.equal((await browser.post(`${appPath}/subscriptions/${subscription.id}/cancel`, { csrf: csrfIn(page) })).status, 409);
  });

  test('a blank application name is a mistake beside its field; another organisation\'s form is a 404', async () => {
    const { browser, appPath } = await developerWithApp();
    const organisationPath = (await (await browser.get(appPath)).text()).match(/<p class="portal-breadcrumb"><a href="(\/organisations\/[^"]+)"/)![1]!;
    const blank = await browser.submit(`${organisationPath}/apps/new`, `${organisationPath}/apps`, { name: '  ' });
    assert.equal(blank.status, 400);
    assert.match(await blank.text(), /<li><a href="#name">Enter the application&#39;s name<\/a><\/li>/);
    const stranger = await signedInBrowser(portcullis.caPem, portcullis.urls.browser, await insertVerifiedDeveloper(portcullis.db));
    const html = await (await stranger.get('/account')).text();
    assert.equal((await stranger.post(`${organisationPath}/apps`, { csrf: csrfIn(html), name: 'Sneaky' })).status, 404);
  });

  test('the copy button\'s script is our own file, served as JavaScript', async () => {
    const script = await call(`${portcullis.urls.browser}/static/copy-button.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type')!, /^text\/javascript/);
    assert.match(await script.text(), /navigator\.clipboard\.writeText/);
  });
});
