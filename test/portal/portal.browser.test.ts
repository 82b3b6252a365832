/**
 * The developer portal's public pages in a real Chromium, on a phone and on a desktop: what only a
 * browser shows (the layout at 390 px, focus, the navigation's current page, no script needed),
 * with a screenshot and an accessibility check of each page. The HTTP-level rules are covered by
 * portal.int.test.ts.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';

import { changeApiLifecycle } from '../../src/gateway/catalogue/api-lifecycle.service.ts';
import { createApi } from '../../src/gateway/catalogue/catalogue.service.ts';
import type { CatalogueContext } from '../../src/gateway/catalogue/catalogue-transaction.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { browserTest, saveScreenshot } from '../helpers/chromium.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';

const tag = randomBytes(4).toString('hex');
let portcullis: TestPortcullis;
/** This file's Weather versions: on PostgreSQL, other files' APIs share the catalogue. */
const weatherIds: string[] = [];

before(async () => {
  portcullis = await startTestPortcullis();
  const context: CatalogueContext = { db: portcullis.db, events: portcullis.events, clock: systemClock, actor: 'ops' };
  const publish = async (input: Record<string, unknown>) => {
    const api = await createApi(context, { upstreams: [{ url: 'http://127.0.0.1:9/', weight: 100 }], ...input });
    await changeApiLifecycle(context, api.id, { to: 'published' });
    return api.id;
  };
  const paths = (entries: Array<[string, string, string]>) => Object.fromEntries(entries.map(([path, method, summary]) => [path, { [method]: { summary } }]));
  await publish({
    name: `accounts-${tag}`, version: 'v3.1.11', basePath: `/open-banking/t${tag}/aisp`, authKind: 'fapi',
    openapi: { openapi: '3.0.0', info: { title: 'Account and Transaction API', version: 'v3.1.11', description: 'Read a customer\'s accounts, balances and transactions, with their consent.' }, paths: paths([['/accounts', 'get', 'Get Accounts'], ['/accounts/{AccountId}/balances', 'get', 'Get Balances'], ['/accounts/{AccountId}/transactions', 'get', 'Get Transactions']]) },
    routes: ['/accounts', '/accounts/{AccountId}/balances', '/accounts/{AccountId}/transactions'].map((pathTemplate) => ({ method: 'GET', pathTemplate, policy: { scopes: ['accounts'] } })),
  });
  const weather = (version: string) => ({
    name: `weather-${tag}`, version, basePath: `/t${tag}/weather/${version}`, authKind: 'api-key',
    openapi: { openapi: '3.1.0', info: { title: 'Weather', version, description: 'Forecasts and weather alerts for every UK postcode, hourly for the next seven days.' }, paths: paths([['/forecasts/{postcode}', 'get', 'The forecast for a postcode'], ['/alerts', 'post', 'Subscribe to alerts for a postcode']]) },
    routes: [{ method: 'GET', pathTemplate: '/forecasts/{postcode}' }, { method: 'POST', pathTemplate: '/alerts' }],
  });
  const v1 = await publish(weather('v1'));
  const v2 = await publish(weather('v2'));
  weatherIds.push(v1, v2);
  await changeApiLifecycle(context, v1, { to: 'deprecated', sunsetAt: '2031-06-30T00:00:00Z', successorApiId: v2 });
});
after(() => portcullis?.close());

browserTest('a developer finds an API from the home page and searches the catalog, on a phone', { phone: true }, async (page) => {
  await page.goto(`${portcullis.urls.browser}/`);
  assert.equal(await page.title(), 'Build on Portcullis Bank · Portcullis Developers');
  await page.getByRole('heading', { level: 1, name: 'Build on Portcullis Bank\'s APIs' }).waitFor();
  const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
  assert.ok(width <= 390, `nothing scrolls sideways at 390 px (${width})`);
  await saveScreenshot(page, 'portal/home-phone');

  await page.getByRole('link', { name: 'Browse the APIs' }).tap();
  await page.getByRole('heading', { level: 1, name: 'APIs' }).waitFor();
  assert.equal(await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'APIs' }).getAttribute('aria-current'), 'page');
  await page.getByLabel('Search the APIs').fill(`weather ${tag}`);
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: '1 product matches' }).waitFor();
  assert.equal(new URL(page.url()).searchParams.get('q'), `weather ${tag}`);
  assert.equal(await page.getByRole('heading', { level: 2, name: 'Weather' }).count(), 1);
  assert.equal(await page.getByText('Deprecated: retires 30 June 2031').count(), 1);
  const searchWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
  assert.ok(searchWidth <= 390, `nothing scrolls sideways at 390 px (${searchWidth})`);
  await saveScreenshot(page, 'portal/catalog-search-phone');

  await page.getByRole('link', { name: 'Weather v1' }).tap();
  await page.getByRole('heading', { level: 1, name: 'Weather v1' }).waitFor();
  assert.match((await page.locator('.portal-notice').textContent())!, /deprecated and stops answering on 30 June 2031/);
  const apiWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
  assert.ok(apiWidth <= 390, `nothing scrolls sideways at 390 px (${apiWidth})`);
  await saveScreenshot(page, 'portal/api-deprecated-phone');
  await page.getByRole('link', { name: 'Weather v2' }).first().tap();
  await page.getByRole('heading', { level: 1, name: 'Weather v2' }).waitFor();
});

browserTest('the catalog and an Open Banking API on a desktop, by keyboard from the skip link', {}, async (page) => {
  await page.goto(`${portcullis.urls.browser}/`);
  await page.getByRole('heading', { level: 2, name: 'Where to start' }).waitFor();
  await saveScreenshot(page, 'portal/home-desktop');
  await page.goto(`${portcullis.urls.browser}/apis`);
  await page.keyboard.press('Tab');
  assert.equal(await page.locator(':focus').textContent(), 'Skip to content', 'the first stop skips the navigation');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator(':focus').getAttribute('id'), 'main');
  await saveScreenshot(page, 'portal/catalog-desktop');

  await page.getByRole('link', { name: 'Account and Transaction API v3.1.11' }).click();
  await page.getByRole('heading', { level: 1, name: 'Account and Transaction API v3.1.11' }).waitFor();
  assert.equal(await page.getByRole('table').getByRole('row').count(), 4, 'a header row and three operations');
  assert.equal(await page.getByText(`${portcullis.config.mtlsBaseUrl}/open-banking/t${tag}/aisp`).count(), 1);
  await saveScreenshot(page, 'portal/api-open-banking-desktop');

  await page.goto(`${portcullis.urls.browser}/apis/api-that-is-not-there`);
  await page.getByRole('heading', { level: 1, name: 'Something went wrong' }).waitFor();
  assert.match(await page.title(), /^Error: /);
  await saveScreenshot(page, 'portal/not-found-desktop');
});

browserTest('a developer reads the guides, the changelog and an error\'s page, on a phone', { phone: true }, async (page) => {
  await page.goto(`${portcullis.urls.browser}/`);
  await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Guides' }).tap();
  await page.getByRole('heading', { level: 1, name: 'Guides' }).waitFor();
  await page.getByRole('link', { name: 'Open Banking quick start' }).tap();
  await page.getByRole('heading', { level: 2, name: 'Sign your organisation up' }).waitFor();
  const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
  assert.ok(width <= 390, `nothing scrolls sideways at 390 px; the commands scroll in their own box (${width})`);
  await saveScreenshot(page, 'portal/guide-open-banking-phone');

  await page.goto(`${portcullis.urls.browser}/guides/deprecation`);
  await page.getByRole('heading', { level: 2, name: 'Changelog' }).waitFor();
  for (const id of weatherIds) assert.equal(await page.getByRole('row').filter({ has: page.locator(`a[href="/apis/${id}"]`) }).count(), 1, 'each Weather version has its row');
  await saveScreenshot(page, 'portal/guide-deprecation-phone');

  await page.goto(`${portcullis.urls.browser}/docs/problems/rate-limited`);
  await page.getByRole('heading', { level: 1, name: 'Rate limit exceeded' }).waitFor();
  await saveScreenshot(page, 'portal/problem-rate-limited-phone');
});
