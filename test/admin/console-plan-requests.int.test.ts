/**
 * Plan requests in the console: a developer's request for a plan that is not self-service, listed
 * for every operator, approved by an operator (the application's key calls the plan's API within a
 * second), refused; a viewer sees but cannot decide (403); each decision audited as the admin API's.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import { subscribe } from '../../src/gateway/catalogue/subscriptions.service.ts';
import { createApplication, createOrganisation, issueApiKey } from '../../src/gateway/consumers/consumers.service.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { insertOperator, signedInConsole, type TestOperator } from '../helpers/console-browser.ts';
import { eventually } from '../helpers/eventually.ts';
import { addTestApi, addTestPlan } from '../helpers/gateway-catalogue.ts';
import { csrfIn, type PortalBrowser } from '../helpers/portal-browser.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';
import { startUpstreamServer, type UpstreamServer } from '../helpers/upstream-server.ts';

let portcullis: TestPortcullis;
let upstream: UpstreamServer;
const basePath = `/premium-${randomUUID().slice(0, 8)}/v1`;
const planName = `premium-${randomUUID().slice(0, 8)}`;
let planId: string;

before(async () => {
  upstream = await startUpstreamServer();
  portcullis = await startTestPortcullis();
  const { id } = await addTestApi(portcullis.db, portcullis.events, { version: 'v1', basePath, authKind: 'api-key', upstreams: [{ url: upstream.url, weight: 100 }], routes: [{ method: 'GET', path: '/data' }] });
  planId = await addTestPlan(portcullis.db, portcullis.events, { name: planName, apiIds: [id], selfService: false, priceMinorUnits: 9900 });
});
after(async () => {
  await portcullis?.close();
  await upstream?.close();
});

const context = () => ({ db: portcullis.db, events: portcullis.events, clock: systemClock, actor: 'partner' as const });

async function requested(name: string) {
  const organisation = await createOrganisation(context(), { name: `${name} Ltd` });
  const application = await createApplication(context(), { organisationId: organisation.id, name });
  const subscription = await subscribe(context(), { applicationId: application.id, planId });
  assert.equal(subscription.status, 'requested');
  return { application, subscription, key: (await issueApiKey(context(), application.id)).key };
}

const operatorWith = (role: TestOperator['role']) => insertOperator(portcullis.db, portcullis.secrets, { role });

async function decide(browser: PortalBrowser, subscriptionId: string, decision: 'approve' | 'refuse'): Promise<Response> {
  const page = await browser.get('/console/plan-requests');
  return browser.post(`/console/plan-requests/${subscriptionId}/${decision}`, { csrf: csrfIn(await page.text()) });
}

test('an operator approves a request: the key calls the plan\'s API within a second, and the decision is audited', async () => {
  const { application, subscription, key } = await requested(`Approved ${randomUUID().slice(0, 6)}`);
  const call = tlsFetch(portcullis.caPem);
  const get = () => call(`${portcullis.urls.public}${basePath}/data`, { headers: { 'x-api-key': key } });
  await eventually(async () => (await get()).status === 403, { withinMs: 2_000, what: 'the key refused while the plan is requested' });

  const operator = await operatorWith('operator');
  const browser = await signedInConsole(portcullis.caPem, portcullis.urls.browser, operator);
  const list = await (await browser.get('/console/plan-requests')).text();
  assert.match(list, new RegExp(`<th scope="row" data-label="Application">${application.name}</th>[\\s\\S]*?${planName} <span class="detail">\\(99.00 GBP a month\\)`));
  const approved = await decide(browser, subscription.id, 'approve');
  assert.equal(approved.status, 303);
  assert.equal(approved.headers.get('location'), '/console/plan-requests?approved');
  await eventually(async () => (await get()).status === 200, { withinMs: 1_000, what: 'the key admitted once approved' });
  assert.doesNotMatch(await (await browser.get('/console/plan-requests')).text(), new RegExp(application.name), 'no longer waiting');
  assert.equal((await decide(browser, subscription.id, 'refuse')).status, 409, 'decided already');

  const audited = () => portcullis.db('audit_log').where({ kind: 'admin' }).whereRaw("payload->'params'->>'subscriptionId' = ?", [subscription.id]).orderBy('seq');
  await eventually(async () => (await audited()).length === 2, { withinMs: 5_000, what: 'the decisions in the audit log' });
  const [approval, late] = await audited();
  assert.deepEqual([approval.action, approval.actor, approval.status, approval.payload.before.status, approval.payload.after.status], ['POST /admin/v1/subscriptions/{subscriptionId}/approve', `operator:${operator.id}`, 303, 'requested', 'active']);
  assert.deepEqual([late.action, late.status], ['POST /admin/v1/subscriptions/{subscriptionId}/refuse', 409]);
});

test('a refused request leaves the key refused; a viewer sees the requests but may not decide (403); an unknown one is 404', async () => {
  const { application, subscription } = await requested(`Refused ${randomUUID().slice(0, 6)}`);
  const viewer = await signedInConsole(portcullis.caPem, portcullis.urls.browser, await operatorWith('viewer'));
  const seen = await (await viewer.get('/console/plan-requests')).text();
  assert.match(seen, new RegExp(application.name));
  assert.doesNotMatch(seen, /\/approve"/, 'no decision buttons for a viewer');
  assert.equal((await decide(viewer, subscription.id, 'approve')).status, 403);
  assert.equal((await portcullis.db('subscriptions').where({ id: subscription.id }).first()).status, 'requested');

  const operator = await signedInConsole(portcullis.caPem, portcullis.urls.browser, await operatorWith('operator'));
  assert.equal((await decide(operator, subscription.id, 'refuse')).headers.get('location'), '/console/plan-requests?refused');
  assert.equal((await portcullis.db('subscriptions').where({ id: subscription.id }).first()).status, 'refused');
  assert.equal((await decide(operator, 'sub-nonexistent', 'approve')).status, 404);
});
