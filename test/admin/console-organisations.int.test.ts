/**
 * Organisations and applications in the console: the search (organisation, application, member's
 * email; case-insensitive, LIKE's wildcards literal, a page at a time), an organisation's members
 * and applications, an application's subscriptions, keys, client and usage; suspending (the
 * gateway refuses its key within a second), reactivating and revoking a key, each audited as the
 * admin API's route; a viewer sees everything and changes nothing (403).
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
let operator: PortalBrowser;
let operatorId: string;
let viewer: PortalBrowser;
const basePath = `/orgs-${randomUUID().slice(0, 8)}/v1`;
const planName = `standard-${randomUUID().slice(0, 8)}`;
let planId: string;

const context = () => ({ db: portcullis.db, events: portcullis.events, clock: systemClock, actor: 'partner' as const });
const signedIn = async (role: TestOperator['role']) => {
  const signing = await insertOperator(portcullis.db, portcullis.secrets, { role });
  return { id: signing.id, browser: await signedInConsole(portcullis.caPem, portcullis.urls.browser, signing) };
};

before(async () => {
  upstream = await startUpstreamServer();
  portcullis = await startTestPortcullis();
  const { id } = await addTestApi(portcullis.db, portcullis.events, { version: 'v1', basePath, authKind: 'api-key', upstreams: [{ url: upstream.url, weight: 100 }], routes: [{ method: 'GET', path: '/data' }] });
  planId = await addTestPlan(portcullis.db, portcullis.events, { name: planName, apiIds: [id], selfService: true, quotaPerDay: 500 });
  ({ id: operatorId, browser: operator } = await signedIn('operator'));
  ({ browser: viewer } = await signedIn('viewer'));
});
after(async () => {
  await portcullis?.close();
  await upstream?.close();
});

/** A developer who is a member (an owner) of the organisation, who never signs in (so no password hash to compute). */
async function insertMember(organisationId: string, developer: { email: string; name: string }) {
  const id = `dev-${randomUUID()}`;
  await portcullis.db('portal_developers').insert({ id, email: developer.email, email_key: developer.email.toLowerCase(), name: developer.name, password_hash: 'never-signs-in', created_at: new Date() });
  await portcullis.db('organisation_members').insert({ organisation_id: organisationId, developer_id: id, role: 'owner', created_at: new Date() });
  return developer;
}

/** An organisation with a member (an owner) and an application subscribed to the plan, with a key. */
async function calling(tag: string) {
  const organisation = await createOrganisation(context(), { name: `Acme ${tag} Ltd` });
  const developer = await insertMember(organisation.id, { email: `Owner.${tag}@Acme.example`, name: `Ada ${tag}` });
  const application = await createApplication(context(), { organisationId: organisation.id, name: `Ledger ${tag}` });
  await subscribe(context(), { applicationId: application.id, planId });
  const issued = await issueApiKey(context(), application.id);
  return { organisation, developer, application, keyId: issued.keyId, key: issued.key };
}

const call = (key: string) => tlsFetch(portcullis.caPem)(`${portcullis.urls.public}${basePath}/data`, { headers: { 'x-api-key': key } });
const page = async (browser: PortalBrowser, path: string) => {
  const answer = await browser.get(path);
  return { status: answer.status, html: await answer.text() };
};
async function post(browser: PortalBrowser, from: string, action: string): Promise<Response> {
  return browser.post(action, { csrf: csrfIn((await page(browser, from)).html) });
}
const audited = (param: string, value: string) => portcullis.db('audit_log').where({ kind: 'admin' }).whereRaw(`payload->'params'->>'${param}' = ?`, [value]).orderBy('seq');

test('the search finds organisations by name, application and member email, case-insensitively, a page at a time', async () => {
  const tag = randomUUID().slice(0, 8);
  const { organisation, application, developer } = await calling(tag);
  const byName = await page(viewer, `/console/organisations?q=${encodeURIComponent(`ACME ${tag.toUpperCase()}`)}`);
  assert.equal(byName.status, 200);
  assert.match(byName.html, new RegExp(`<a href="/console/organisations/${organisation.id}">Acme ${tag} Ltd</a></th>\\s*<td data-label="Applications">1`));
  assert.match(byName.html, new RegExp(`Ada ${tag} <span class="detail">&lt;${developer.email}&gt;, owner</span>`));
  assert.match(byName.html, /1 organisation matches/);
  const byApplication = (await page(viewer, `/console/organisations?q=ledger+${tag}`)).html;
  assert.match(byApplication, new RegExp(`<a href="/console/applications/${application.id}">Ledger ${tag}</a>`), 'the matching application is linked');
  assert.match((await page(viewer, `/console/organisations?q=owner.${tag}%40ACME`)).html, new RegExp(`Acme ${tag} Ltd`), 'by a member\'s email');
  assert.match((await page(viewer, `/console/organisations?q=${tag}%25`)).html, /No organisation matches/, '% is a character, not a wildcard');

  const many = `Many ${randomUUID().slice(0, 8)}`;
  await portcullis.db('organisations').insert(Array.from({ length: 21 }, (_, index) => ({ id: `org-${randomUUID()}`, name: `${many} ${String(index).padStart(2, '0')}` })));
  const first = (await page(viewer, `/console/organisations?q=${encodeURIComponent(many)}`)).html;
  assert.equal([...first.matchAll(/<th scope="row" data-label="Organisation">/g)].length, 20);
  const next = first.match(/<a href="([^"]+)" rel="next">/)![1]!.replaceAll('&amp;', '&');
  const second = (await page(viewer, next)).html;
  assert.deepEqual([...second.matchAll(/>(Many [^<]+)<\/a><\/th>/g)].map((match) => match[1]), [`${many} 20`]);
  assert.doesNotMatch(second, /rel="next"/);

  assert.equal((await page(viewer, `/console/organisations?q=${'x'.repeat(201)}`)).status, 400);
  assert.equal((await page(viewer, '/console/organisations?q=a&q=b')).status, 400);
});

test('an organisation\'s page lists its members and applications; an application\'s its plans, keys, client and usage', async () => {
  const tag = randomUUID().slice(0, 8);
  const { organisation, application, developer, key } = await calling(tag);
  const clientId = `client-${tag}`;
  await portcullis.db('oidc_clients').insert({ client_id: clientId, metadata: JSON.stringify({ client_id: clientId, client_name: `Budget ${tag}` }) });
  await portcullis.db('applications').where({ id: application.id }).update({ client_id: clientId });

  const shown = await page(viewer, `/console/organisations/${organisation.id}`);
  assert.equal(shown.status, 200);
  assert.match(shown.html, new RegExp(`<th scope="row" data-label="Name">Ada ${tag}</th>\\s*<td data-label="Email address">${developer.email}</td>\\s*<td data-label="Role">Owner</td>`));
  assert.match(shown.html, new RegExp(`Ledger ${tag}</a></th>\\s*<td data-label="Status"><span class="badge badge-live">Active</span>`));
  assert.match(shown.html, new RegExp(`${planName} <span class="detail">\\(active\\)</span>`));
  assert.equal((await page(viewer, '/console/organisations/org-nonexistent')).status, 404);

  assert.equal((await call(key)).status, 200);
  await eventually(async () => /1 calls in 7 days/.test((await page(viewer, `/console/applications/${application.id}`)).html), { withinMs: 5_000, what: 'the call in the usage' });
  const app = await page(viewer, `/console/applications/${application.id}?period=30d`);
  assert.match(app.html, new RegExp(`<a href="/console/open-banking/clients/${clientId}">Budget ${tag}</a>`));
  assert.match(app.html, new RegExp(`<th scope="row" data-label="Plan">${planName}</th>\\s*<td data-label="Status">Active</td>`));
  assert.match(app.html, /<code class="key-prefix">pck_[^<]+_…<\/code><\/th>\s*<td data-label="Issued">[^<]+<\/td>\s*<td data-label="State">Live<\/td>/);
  assert.match(app.html, new RegExp(`${planName}: 1 of 500 calls today`));
  assert.match(app.html, /1 calls in 30 days/);
  assert.equal([...app.html.matchAll(/<svg [^>]*role="img"/g)].length, 3, 'the portal\'s three charts');
  assert.doesNotMatch(app.html, /\/suspend"|\/revoke"/, 'a viewer has no buttons');
  assert.doesNotMatch(app.html, /<script/);
  assert.equal((await page(viewer, `/console/applications/${application.id}?period=1y`)).status, 400);
  assert.equal((await page(viewer, '/console/applications/app-nonexistent')).status, 404);
});

test('an operator suspends an application: its key is refused within a second; reactivated, it calls again; each audited', async () => {
  const { application, key } = await calling(randomUUID().slice(0, 8));
  assert.equal((await call(key)).status, 200);
  const appPath = `/console/applications/${application.id}`;
  const suspended = await post(operator, appPath, `${appPath}/suspend`);
  assert.equal(suspended.status, 303);
  assert.equal(suspended.headers.get('location'), `${appPath}?suspended`);
  await eventually(async () => (await call(key)).status === 403, { withinMs: 1_000, what: 'the key refused once suspended' });
  const refused = await call(key);
  assert.match(JSON.stringify(await refused.json()), /suspended/);
  const after = (await page(operator, `${appPath}?suspended`)).html;
  assert.match(after, /The application is suspended: the gateway refuses calls with its keys\./);
  assert.match(after, /<span class="badge badge-suspended">Suspended<\/span>/);
  assert.match(after, /Reactivate the application/);

  assert.equal((await post(operator, appPath, `${appPath}/reactivate`)).headers.get('location'), `${appPath}?reactivated`);
  await eventually(async () => (await call(key)).status === 200, { withinMs: 1_000, what: 'the key admitted once reactivated' });

  await eventually(async () => (await audited('applicationId', application.id)).length === 2, { withinMs: 5_000, what: 'the changes in the audit log' });
  const [suspension, reactivation] = await audited('applicationId', application.id);
  assert.deepEqual([suspension.action, suspension.actor, suspension.status, suspension.payload.before.status, suspension.payload.after.status], ['POST /admin/v1/applications/{applicationId}/suspend', `operator:${operatorId}`, 303, 'active', 'suspended']);
  assert.deepEqual([reactivation.action, reactivation.payload.before.status, reactivation.payload.after.status], ['POST /admin/v1/applications/{applicationId}/reactivate', 'suspended', 'active']);
  assert.equal((await post(operator, appPath, '/console/applications/app-nonexistent/suspend')).status, 404);
});

test('an operator revokes a key: the gateway refuses it, twice is a conflict; a viewer may change nothing (403)', async () => {
  const { application, keyId, key } = await calling(randomUUID().slice(0, 8));
  const appPath = `/console/applications/${application.id}`;
  for (const action of [`${appPath}/suspend`, `${appPath}/reactivate`, `/console/keys/${keyId}/revoke`]) {
    assert.equal((await post(viewer, appPath, action)).status, 403, action);
  }
  assert.equal((await portcullis.db('applications').where({ id: application.id }).first()).status, 'active');
  assert.equal((await call(key)).status, 200, 'the viewer changed nothing');

  const revoked = await post(operator, appPath, `/console/keys/${keyId}/revoke`);
  assert.equal(revoked.headers.get('location'), `${appPath}?revoked`);
  await eventually(async () => (await call(key)).status === 401, { withinMs: 1_000, what: 'the revoked key refused' });
  assert.match((await page(operator, `${appPath}?revoked`)).html, /<td data-label="State">Revoked [^<]+<\/td>\s*<td class="row-actions">\s*<\/td>/);
  assert.equal((await post(operator, appPath, `/console/keys/${keyId}/revoke`)).status, 409);
  assert.equal((await post(operator, appPath, '/console/keys/key-nonexistent/revoke')).status, 404);
  await eventually(async () => (await audited('keyId', keyId)).length === 2, { withinMs: 5_000, what: 'the revocations in the audit log' });
  const [revocation, again] = await audited('keyId', keyId);
  assert.deepEqual([revocation.action, revocation.actor, revocation.status, revocation.payload.before.revoked_at, typeof revocation.payload.after.revoked_at], ['POST /admin/v1/keys/{keyId}/revoke', `operator:${operatorId}`, 303, null, 'string']);
  assert.equal(again.status, 409);
});
