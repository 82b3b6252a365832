/**
 * Developers' data never reaches the logs: their addresses (in sign-up, sign-in, invitations and
 * the refusals that name them), their passwords and their API keys (issued, used at the gateway,
 * used wrong), whatever the app logs on the way.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import { capturedLogger } from '../helpers/captured-logger.ts';
import { eventually } from '../helpers/eventually.ts';
import { addTestApi, addTestPlan } from '../helpers/gateway-catalogue.ts';
import { csrfIn, insertVerifiedDeveloper, newDeveloperAddress, PortalBrowser, signedInBrowser } from '../helpers/portal-browser.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';
import { startUpstreamServer, type UpstreamServer } from '../helpers/upstream-server.ts';

const log = capturedLogger();
let portcullis: TestPortcullis;
let upstream: UpstreamServer;
const basePath = `/logged-${randomUUID().slice(0, 8)}/v1`;
let planId: string;

before(async () => {
  upstream = await startUpstreamServer();
  portcullis = await startTestPortcullis({ LOG_LEVEL: 'debug' }, { logger: log.logger });
  const { id } = await addTestApi(portcullis.db, portcullis.events, { version: 'v1', basePath, authKind: 'api-key', upstreams: [{ url: upstream.url, weight: 100 }], routes: [{ method: 'GET', path: '/things' }] });
  planId = await addTestPlan(portcullis.db, portcullis.events, { apiIds: [id], ratePerMinute: 600 });
});
after(async () => {
  await portcullis?.close();
  await upstream?.close();
});

test('no log line holds a developer\'s address, password or API key', async () => {
  const secrets: string[] = [];
  const newcomer = newDeveloperAddress();
  const password = `pw-${randomUUID()}`;
  secrets.push(newcomer, password);
  const visitor = new PortalBrowser(portcullis.caPem, portcullis.urls.browser);
  assert.equal((await visitor.submit('/account/sign-up', '/account/sign-up', { email: newcomer, name: 'Logan', password })).status, 303);
  assert.equal((await visitor.submit('/account/sign-in', '/account/sign-in', { email: newcomer, password })).status, 403, 'not yet confirmed');
  assert.equal((await visitor.submit('/account/sign-in', '/account/sign-in', { email: newcomer, password: 'wrong wrong wrong' })).status, 401);

  const owner = await insertVerifiedDeveloper(portcullis.db);
  const stranger = await insertVerifiedDeveloper(portcullis.db);
  secrets.push(owner.email, owner.password, stranger.email, stranger.password);
  const browser = await signedInBrowser(portcullis.caPem, portcullis.urls.browser, owner);
  const organisationPath = (await browser.submit('/organisations/new', '/organisations', { name: 'Quiet Ltd' })).headers.get('location')!.replace(/\?.*$/, '');
  assert.equal((await browser.submit(organisationPath, `${organisationPath}/invitations`, { email: owner.email, role: 'developer' })).status, 409, 'a refusal that names the address');
  const invited = newDeveloperAddress();
  secrets.push(invited);
  assert.equal((await browser.submit(organisationPath, `${organisationPath}/invitations`, { email: invited, role: 'developer' })).status, 303);
  const [mail] = await portcullis.db('portal_outbox').where({ recipient: invited });
  const token = (mail.body as string).match(/token=([A-Za-z0-9_-]{43})/)![1]!;
  secrets.push(token);
  const wrongPerson = await signedInBrowser(portcullis.caPem, portcullis.urls.browser, stranger);
  assert.equal((await wrongPerson.submit(`/account/invitation?token=${token}`, '/account/invitation', { token })).status, 403, 'a refusal that names both addresses');

  const appPath = (await browser.submit(`${organisationPath}/apps/new`, `${organisationPath}/apps`, { name: 'Quiet app' })).headers.get('location')!.replace(/\?.*$/, '');
  const page = await (await browser.get(appPath)).text();
  assert.equal((await browser.post(`${appPath}/subscriptions`, { csrf: csrfIn(page), planId })).status, 303);
  const issued = await (await browser.post(`${appPath}/keys`, { csrf: csrfIn(page) })).text();
  const key = issued.match(/id="issued-key" value="(pck_[^"]+)"/)![1]!;
  secrets.push(key);
  const call = tlsFetch(portcullis.caPem);
  await eventually(async () => (await call(`${portcullis.urls.public}${basePath}/things`, { headers: { 'x-api-key': key } })).status === 200, { withinMs: 2_000 });
  const wrongKey = `${key.slice(0, -4)}AAAA`;
  secrets.push(wrongKey);
  assert.equal((await call(`${portcullis.urls.public}${basePath}/things`, { headers: { 'x-api-key': wrongKey } })).status, 401);

  assert.equal(log.messages().filter((message) => message === 'browser.error').length, 2, 'both refusals were logged');
  assert.ok(log.messages().includes('gateway.call'), 'the calls were logged');
  const logged = JSON.stringify(log.lines).toLowerCase();
  for (const secret of secrets) assert.equal(logged.includes(secret.toLowerCase()), false, `a log line holds ${secret.slice(0, 6)}…`);
});
