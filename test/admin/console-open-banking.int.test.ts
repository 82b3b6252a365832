/**
 * Open Banking partners and consents in the console and the admin API: a client registered with a
 * directory's software statement (its claims, roles, redirect URIs, a key certificate ending within
 * 30 days); the transport certificates a client authenticates with over mutual TLS, kept with their
 * expiry (one ending within 30 days warns until the client moves to a renewed one); a client suspended (its tokens and new tokens refused within a second) and reactivated;
 * consents found by customer, partner, kind, status and creation day, with their history, revoked;
 * a partner removed with its consents. Viewers see but change nothing (403); every change is
 * audited as its admin API route with the operator, or the admin token, as the caller.
 */
import assert from 'node:assert/strict';
import { randomUUID, X509Certificate } from 'node:crypto';
import { after, before, test } from 'node:test';

import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import * as oc from 'openid-client';

import { ADMIN_OPENAPI } from '../../src/admin/admin-api.openapi.ts';
import { registerClient } from '../../src/auth/clients/register-client.ts';
import { CONSENT_KINDS } from '../../src/consent/consent-kinds.ts';
import { findConsent, listStatusHistory } from '../../src/consent/consent.store.ts';
import { certificateThumbprint } from '../../src/pki/certificate-thumbprint.ts';
import { accountAccessBody } from '../consent/consent-bodies.ts';
import { authorisedConsent } from '../consent/authorised-consent.ts';
import { insertOperator, signedInConsole, type TestOperator } from '../helpers/console-browser.ts';
import { eventually } from '../helpers/eventually.ts';
import { obPartner } from '../helpers/ob-partner.ts';
import { discover, REDIRECT_URI } from '../helpers/partner-client.ts';
import { csrfIn, type PortalBrowser } from '../helpers/portal-browser.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { tlsFetch, type TlsIdentity } from '../helpers/tls-fetch.ts';
import { registerWithStatement, transportCertificate } from '../helpers/open-banking-fixtures.ts';

let portcullis: TestPortcullis;
let operator: TestOperator;
let console_: PortalBrowser;
let viewer: PortalBrowser;

before(async () => {
  portcullis = await startTestPortcullis();
  operator = await insertOperator(portcullis.db, portcullis.secrets, { role: 'operator' });
  console_ = await signedInConsole(portcullis.caPem, portcullis.urls.browser, operator);
  viewer = await signedInConsole(portcullis.caPem, portcullis.urls.browser, await insertOperator(portcullis.db, portcullis.secrets, { role: 'viewer' }));
});
after(() => portcullis?.close());

// The admin API's answers are held to the schemas its OpenAPI document gives them.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ $id: 'admin', components: ADMIN_OPENAPI.components }, 'admin');

async function admin(method: string, path: string, schema?: string): Promise<{ status: number; body: any }> {
  const response = await tlsFetch(portcullis.caPem)(`${portcullis.urls.admin}/admin/v1${path}`, { method, headers: { authorization: `Bearer ${portcullis.secrets.adminToken}` } });
  const text = await response.text();
  const body = text ? JSON.parse(text) : undefined;
  if (schema && response.status < 300) {
    const validate = ajv.getSchema(`admin#/components/schemas/${schema}`)!;
    assert.ok(validate(body), `${schema}: ${JSON.stringify(validate.errors)}`);
  }
  return { status: response.status, body };
}

async function submit(browser: PortalBrowser, page: string, action: string): Promise<Response> {
  return browser.post(action, { csrf: csrfIn(await (await browser.get(page)).text()) });
}

const isInvalidClient = (error: { cause?: { error?: string } }) => error.cause?.error === 'invalid_client';

const audited = (params: string, value: string) => portcullis.db('audit_log').where({ kind: 'admin' }).whereRaw(`payload->'params'->>'${params}' = ?`, [value]).orderBy('seq');

test('a registered client\'s software statement, roles and a certificate ending within 30 days, in the console and the admin API', async () => {
  const softwareId = `penny-${randomUUID()}`;
  const clientId = await registerWithStatement(portcullis, { softwareId, clientName: 'Penny Budget', orgId: 'org-penny', orgName: 'Penny Budget Ltd' }, 10);

  const list = await (await viewer.get('/console/open-banking')).text();
  assert.match(list, new RegExp(`<a href="/console/open-banking/clients/${clientId}">Penny Budget</a>\\s*<span class="ob-cert-warning">A certificate expires [^<]+</span>`));
  assert.match(list, new RegExp(`<code>${softwareId}</code></td>\\s*<td data-label="Roles">AISP, CBPII</td>`));

  const page = await (await viewer.get(`/console/open-banking/clients/${clientId}`)).text();
  assert.match(page, /A registered certificate expires/);
  assert.match(page, new RegExp(`<li><code>${REDIRECT_URI}</code></li>`));
  assert.match(page, new RegExp(`<dt><code>software_id</code></dt><dd>${softwareId}</dd>`), 'the statement\'s claims as signed');
  assert.match(page, /CN=penny-[^<]*<span class="detail">issued by [^<]*<\/span><\/td>\s*<td data-label="Expires">[^<]+ <span class="badge badge-deprecated">Within 30 days<\/span>/);
  assert.doesNotMatch(page, /\/suspend"/, 'no changes offered to a viewer');

  const read = await admin('GET', `/openbanking/clients/${clientId}`, 'ObClient');
  assert.equal(read.status, 200);
  assert.deepEqual([read.body.softwareId, read.body.orgName, read.body.roles, read.body.status, read.body.softwareStatement.software_id, read.body.keys[0].certificate.expiresWithin30Days], [softwareId, 'Penny Budget Ltd', ['AISP', 'CBPII'], 'active', softwareId, true]);
  assert.ok(read.body.certificateWarning.notAfter);
  const listed = await admin('GET', '/openbanking/clients?limit=200', 'ObClientPage');
  assert.ok(listed.body.items.some((client: { clientId: string }) => client.clientId === clientId));
  assert.equal((await admin('GET', '/openbanking/clients/nobody')).status, 404);
  assert.equal((await admin('GET', '/openbanking/clients?cursor=bm9wZQ')).status, 400);
  assert.equal((await viewer.get('/console/open-banking/clients/nobody')).status, 404);
});

const certificateRows = (clientId: string) => portcullis.db('oidc_client_certificates').where({ client_id: clientId }).orderBy('first_seen_at');

test('the transport certificate a client gets tokens with over mutual TLS, with its expiry, on its page, in the list and the admin API; a renewed one ends the warning', async () => {
  const commonName = `tpp-${randomUUID()}`;
  const expiring = transportCertificate(portcullis, { commonName, organizationName: 'Short Lived TPP Ltd' }, 12);
  const clientId = `mtls-${randomUUID()}`;
  await registerClient(portcullis.provider, {
    client_id: clientId, client_name: 'Short Lived TPP', redirect_uris: [REDIRECT_URI], grant_types: ['client_credentials'], scope: 'openid accounts', software_roles: ['AISP'],
    token_endpoint_auth_method: 'tls_client_auth', tls_client_auth_subject_dn: `CN=${commonName},O=Short Lived TPP Ltd,C=GB`, tls_client_certificate_bound_access_tokens: true,
  });
  const tokenWith = async (identity: TlsIdentity) => oc.clientCredentialsGrant(await discover(portcullis, clientId, oc.TlsClientAuth(), { use_mtls_endpoint_aliases: true }, identity), { scope: 'accounts' });
  const clientPage = `/console/open-banking/clients/${clientId}`;

  assert.match(await (await viewer.get(clientPage)).text(), /The client has not authenticated over mutual TLS with a certificate yet\./);
  // The sample certificate's subject is not the registered one: refused, and not kept as the client's.
  await assert.rejects(tokenWith(portcullis.sampleClient), isInvalidClient);
  const before = Date.now();
  await tokenWith(expiring);
  await tokenWith(expiring);
  await eventually(async () => (await certificateRows(clientId)).length === 1, { withinMs: 2_000, what: 'the certificate kept' });
  const [row] = await certificateRows(clientId);
  const expiringCertificate = new X509Certificate(expiring.certificatePem);
  assert.deepEqual(
    [row.thumbprint, row.subject_dn, row.issuer_dn, row.not_after.toISOString(), row.first_seen_at.getTime() === row.last_seen_at.getTime(), row.first_seen_at.getTime() >= before - 1_000],
    [certificateThumbprint(expiring.certificatePem), `C=GB, O=Short Lived TPP Ltd, CN=${commonName}`, expiringCertificate.issuer.split('\n').join(', '), new Date(expiringCertificate.validTo).toISOString(), true, true],
  );

  const page = await (await viewer.get(clientPage)).text();
  assert.match(page, /The transport certificate the client uses expires [^<]+\. The partner must get a new one from its directory/);
  assert.match(page, new RegExp(`<th scope="row" data-label="Certificate">C=GB, O=Short Lived TPP Ltd, CN=${commonName} <span class="detail">issued by [^<]*Portcullis Development CA[^<]*</span></th>\\s*`
    + `<td data-label="Thumbprint"><code>${row.thumbprint}</code></td>\\s*<td data-label="Valid until">[^<]+ <span class="badge badge-deprecated">Within 30 days</span></td>\\s*<td data-label="Last seen">[^<]+ <span class="detail">first [^<]+</span></td>`));
  const list = await (await viewer.get('/console/open-banking')).text();
  assert.match(list, new RegExp(`<a href="/console/open-banking/clients/${clientId}">Short Lived TPP</a>\\s*<span class="ob-cert-warning">The transport certificate expires [^<]+</span>`));

  const read = await admin('GET', `/openbanking/clients/${clientId}`, 'ObClient');
  assert.deepEqual(read.body.transportCertificates, [{
    thumbprint: row.thumbprint, subject: row.subject_dn, issuer: row.issuer_dn, notBefore: row.not_before.toISOString(), notAfter: row.not_after.toISOString(),
    firstSeenAt: row.first_seen_at.toISOString(), lastSeenAt: row.last_seen_at.toISOString(), expiresWithin30Days: true, expired: false, replaced: false,
  }]);
  assert.deepEqual(read.body.certificateWarning, { notAfter: row.not_after.toISOString(), expired: false, certificate: 'transport' });

  // The partner renews its certificate (same subject) and moves to it: the old one no longer warns.
  const renewed = transportCertificate(portcullis, { commonName, organizationName: 'Short Lived TPP Ltd' }, 365);
  await tokenWith(renewed);
  await eventually(async () => (await certificateRows(clientId)).length === 2, { withinMs: 2_000, what: 'the renewed certificate kept' });
  const after = await admin('GET', `/openbanking/clients/${clientId}`, 'ObClient');
  assert.deepEqual(after.body.transportCertificates.map((certificate: { thumbprint: string; expiresWithin30Days: boolean; replaced: boolean }) => [certificate.thumbprint, certificate.expiresWithin30Days, certificate.replaced]),
    [[row.thumbprint, true, true], [certificateThumbprint(renewed.certificatePem), false, false]]);
  assert.equal(after.body.certificateWarning, null);
  const renewedPage = await (await viewer.get(clientPage)).text();
  assert.match(renewedPage, /<span class="badge badge-deprecated">Within 30 days<\/span> <span class="detail">Replaced by a newer certificate<\/span>/);
  assert.doesNotMatch(renewedPage, /ob-cert-notice/);
});

test('a suspended client gets no token and its tokens are refused within a second; reactivated, it works again; a viewer may not suspend', async () => {
  const partner = await obPartner(portcullis);
  const token = await partner.token('accounts');
  const create = () => partner.call('POST', CONSENT_KINDS['account-access'].path, { body: accountAccessBody(), token });
  assert.equal((await create()).status, 201);

  const clientPage = `/console/open-banking/clients/${partner.clientId}`;
  assert.equal((await submit(viewer, clientPage, `${clientPage}/suspend`)).status, 403);
  const suspended = await submit(console_, clientPage, `${clientPage}/suspend`);
  assert.equal(suspended.status, 303);
  assert.equal(suspended.headers.get('location'), `${clientPage}?suspended`);
  await eventually(async () => (await create()).status === 401, { withinMs: 1_000, what: 'the suspended client\'s token refused' });
  await assert.rejects(partner.token('accounts'), isInvalidClient, 'no new token');
  assert.match(await (await console_.get(clientPage)).text(), /<h1>Test TPP <span class="badge badge-suspended">Suspended<\/span><\/h1>/);

  const reactivated = await admin('POST', `/openbanking/clients/${partner.clientId}/reactivate`, 'ObClient');
  assert.deepEqual([reactivated.status, reactivated.body.status], [200, 'active']);
  await eventually(async () => (await create()).status === 201, { withinMs: 1_000, what: 'the reactivated client\'s token taken again' });
  assert.ok(await partner.token('accounts'));

  // A viewer's refusal comes before the change is tried, as the admin API's role check does: only the changes are entries.
  await eventually(async () => (await audited('clientId', partner.clientId)).length === 2, { withinMs: 5_000, what: 'the changes in the audit log' });
  const [suspension, reactivation] = await audited('clientId', partner.clientId);
  assert.deepEqual([suspension.action, suspension.actor, suspension.status, suspension.payload.before.status, suspension.payload.after.status], ['POST /admin/v1/openbanking/clients/{clientId}/suspend', `operator:${operator.id}`, 303, 'active', 'suspended']);
  assert.deepEqual([reactivation.action, reactivation.actor, reactivation.payload.after.status], ['POST /admin/v1/openbanking/clients/{clientId}/reactivate', 'admin-token', 'active']);

  const removed = await admin('DELETE', `/openbanking/clients/${partner.clientId}`, 'ObClientRemoval');
  assert.equal(removed.status, 200);
  assert.equal(removed.body.endedConsents.length, 2, 'the two consents it created');
  for (const consentId of removed.body.endedConsents) assert.equal((await findConsent(portcullis.db, consentId))!.status, 'Rejected', 'nobody had authorised them');
});

test('consents found by customer, partner, kind, status and day; their history; revoked once by an operator, not by a viewer', async () => {
  const partner = await obPartner(portcullis);
  const mine = await authorisedConsent(portcullis.db, 'cust-0001', { clientId: partner.clientId });
  const funds = await authorisedConsent(portcullis.db, 'cust-0002', { clientId: partner.clientId, kind: 'funds-confirmation' });
  const waiting = await authorisedConsent(portcullis.db, 'cust-0001', { clientId: partner.clientId, status: 'AwaitingAuthorisation' });
  const today = new Date().toISOString().slice(0, 10);
  const search = async (query: Record<string, string>) => [...(await (await viewer.get(`/console/open-banking/consents?${new URLSearchParams({ clientId: partner.clientId, ...query })}`)).text()).matchAll(/<a href="\/console\/open-banking\/consents\/([^"]+)"/g)].map((match) => match[1]);

  assert.deepEqual(await search({ customer: 'ALICE' }), [mine.id], 'by username, any case (the waiting one has no customer yet)');
  assert.deepEqual(await search({ customer: 'cust-0002' }), [funds.id]);
  assert.deepEqual(await search({ kind: 'funds-confirmation' }), [funds.id]);
  assert.deepEqual(await search({ status: 'AwaitingAuthorisation' }), [waiting.id]);
  assert.deepEqual(await search({ createdFrom: today, createdTo: today, customer: 'cust-0002' }), [funds.id]);
  assert.deepEqual(await search({ createdTo: '2020-01-01' }), []);
  assert.equal((await viewer.get('/console/open-banking/consents?kind=everything')).status, 400);
  assert.equal((await viewer.get('/console/open-banking/consents?createdFrom=2026-02-30')).status, 400);
  const paged = await admin('GET', `/openbanking/consents?clientId=${partner.clientId}&limit=2`, 'ObConsentPage');
  assert.equal(paged.status, 200, JSON.stringify(paged.body));
  assert.deepEqual(paged.body.items.map((item: { id: string }) => item.id), [waiting.id, funds.id]);
  const next = await admin('GET', `/openbanking/consents?clientId=${partner.clientId}&limit=2&cursor=${paged.body.nextCursor}`);
  assert.deepEqual([next.body.items.map((item: { id: string }) => item.id), next.body.nextCursor], [[mine.id], null]);
  assert.equal((await admin('GET', '/openbanking/consents?status=Gone')).status, 400);

  const page = `/console/open-banking/consents/${mine.id}`;
  assert.match(await (await viewer.get(page)).text(), /Awaiting authorisation<\/span> <time[^>]*>[^<]+<\/time><\/p>\s*<p class="detail">The partner<\/p>[\s\S]*Authorised<\/span> <time[^>]*>[^<]+<\/time><\/p>\s*<p class="detail">The customer<\/p>/);
  assert.equal((await submit(viewer, page, `${page}/revoke`)).status, 403);
  const revoked = await submit(console_, page, `${page}/revoke`);
  assert.deepEqual([revoked.status, revoked.headers.get('location')], [303, `${page}?revoked`]);
  assert.equal((await findConsent(portcullis.db, mine.id))!.status, 'Revoked');
  const last = (await listStatusHistory(portcullis.db, mine.id)).at(-1)!;
  assert.deepEqual([last.status, last.actor, last.reason], ['Revoked', 'ops', `revoked by bank operations (operator:${operator.id})`]);
  assert.match(await (await console_.get(`${page}?revoked`)).text(), /Bank operations: revoked by bank operations/);
  assert.equal((await submit(console_, page, `${page}/revoke`)).status, 409);
  assert.equal((await console_.post('/console/open-banking/consents/aac-nothing/revoke', { csrf: csrfIn(await (await console_.get(page)).text()) })).status, 404);

  const read = await admin('GET', `/openbanking/consents/${funds.id}`, 'ObConsentDetail');
  assert.deepEqual([read.body.status, read.body.revocable, read.body.history.map((change: { actor: string }) => change.actor)], ['Authorised', true, ['partner', 'customer']]);
  const byApi = await admin('POST', `/openbanking/consents/${funds.id}/revoke`, 'ObConsentDetail');
  assert.deepEqual([byApi.status, byApi.body.status, byApi.body.history.at(-1).reason], [200, 'Revoked', 'revoked by bank operations (admin-token)']);
  assert.equal((await admin('POST', `/openbanking/consents/${funds.id}/revoke`)).status, 409);
  assert.equal((await admin('GET', '/openbanking/consents/aac-nothing')).status, 404);

  await eventually(async () => (await audited('consentId', mine.id)).length === 2, { withinMs: 5_000, what: 'the revocations in the audit log' });
  const [revocation, again] = await audited('consentId', mine.id);
  assert.deepEqual([revocation.action, revocation.actor, revocation.status, revocation.payload.before.status, revocation.payload.after.status, again.status],
    ['POST /admin/v1/openbanking/consents/{consentId}/revoke', `operator:${operator.id}`, 303, 'Authorised', 'Revoked', 409]);
});

test('a removed partner\'s consents are revoked, its registration and tokens gone', async () => {
  const partner = await obPartner(portcullis);
  const consent = await authorisedConsent(portcullis.db, 'cust-0003', { clientId: partner.clientId });
  const token = await partner.token('accounts');
  const clientPage = `/console/open-banking/clients/${partner.clientId}`;
  await eventually(async () => (await certificateRows(partner.clientId)).length === 1, { withinMs: 2_000, what: 'the sample certificate kept for the client' });
  assert.equal((await submit(viewer, clientPage, `${clientPage}/remove`)).status, 403);

  const removed = await submit(console_, clientPage, `${clientPage}/remove`);
  assert.deepEqual([removed.status, removed.headers.get('location')], [303, '/console/open-banking?removed']);
  assert.equal((await findConsent(portcullis.db, consent.id))!.status, 'Revoked');
  assert.equal(await portcullis.db('oidc_clients').first('client_id').where({ client_id: partner.clientId }), undefined);
  assert.deepEqual(await certificateRows(partner.clientId), [], 'its certificates gone with it');
  assert.equal((await partner.call('POST', CONSENT_KINDS['account-access'].path, { body: accountAccessBody(), token })).status, 401);
  await assert.rejects(oc.clientCredentialsGrant(partner.config, { scope: 'accounts' }), isInvalidClient);
  assert.equal((await console_.get(clientPage)).status, 404);
  assert.match(await (await console_.get(`/console/open-banking/consents/${consent.id}`)).text(), /no longer registered/);
  assert.equal((await admin('DELETE', `/openbanking/clients/${partner.clientId}`)).status, 404);

  await eventually(async () => (await audited('clientId', partner.clientId)).length === 2, { withinMs: 5_000, what: 'the removal in the audit log' });
  const [removal, late] = await audited('clientId', partner.clientId);
  assert.equal(late.status, 404);
  assert.deepEqual([removal.action, removal.status, removal.payload.before.clientId, removal.payload.after], ['DELETE /admin/v1/openbanking/clients/{clientId}', 303, partner.clientId, null]);
});
