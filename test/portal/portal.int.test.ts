/**
 * The developer portal's public pages over real TLS, against the real app and store: which APIs
 * the catalog shows (published and deprecated; never drafts or retired ones), search, an API's
 * page and its OpenAPI download, and bad input answered on a portal page. On PostgreSQL other test
 * files' APIs may be in the catalogue too, so this file looks only for its own, by a tag in their
 * names.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { changeApiLifecycle } from '../../src/gateway/catalogue/api-lifecycle.service.ts';
import { createApi } from '../../src/gateway/catalogue/catalogue.service.ts';
import type { CatalogueContext } from '../../src/gateway/catalogue/catalogue-transaction.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { PROBLEM_TYPES } from '../../src/shared/problem.ts';
import { startTestPortcullis, type TestPortcullis } from '../helpers/portcullis.ts';
import { tlsFetch } from '../helpers/tls-fetch.ts';

const tag = randomBytes(4).toString('hex');
let portcullis: TestPortcullis;
let send: typeof fetch;
const ids: Record<'v1' | 'v2' | 'draft' | 'retired' | 'accounts' | 'unreadable', string> = { v1: '', v2: '', draft: '', retired: '', accounts: '', unreadable: '' };
const SUNSET = new Date('2031-06-30T00:00:00Z');

function weatherApi(version: string, basePath: string) {
  return {
    name: `weather-${tag}`, version, basePath, authKind: 'api-key', upstreams: [{ url: 'http://127.0.0.1:9/weather', weight: 100 }],
    openapi: {
      openapi: '3.1.0',
      info: { title: `Weather ${tag}`, version, description: `Forecasts for **every** UK postcode, from [the Met Office](https://example.com).\n\nA second paragraph the catalog leaves out.` },
      paths: { '/forecasts/{postcode}': { get: { summary: 'The forecast for a postcode' } } },
    },
    routes: [{ method: 'GET', pathTemplate: '/forecasts/{postcode}' }, { method: 'POST', pathTemplate: '/alerts' }],
  };
}

before(async () => {
  portcullis = await startTestPortcullis();
  send = tlsFetch(portcullis.caPem);
  const context: CatalogueContext = { db: portcullis.db, events: portcullis.events, clock: systemClock, actor: 'ops' };
  const make = async (version: string, lifecycle: 'draft' | 'published') => {
    const api = await createApi(context, weatherApi(version, `/t${tag}/weather/${version}`));
    if (lifecycle === 'published') await changeApiLifecycle(context, api.id, { to: 'published' });
    return api.id;
  };
  ids.v1 = await make('v1', 'published');
  ids.v2 = await make('v2', 'published');
  ids.draft = await make('v3-beta', 'draft');
  ids.retired = await make('v0', 'published');
  await changeApiLifecycle(context, ids.v1, { to: 'deprecated', sunsetAt: SUNSET.toISOString(), successorApiId: ids.v2 });
  await changeApiLifecycle(context, ids.retired, { to: 'deprecated', sunsetAt: SUNSET.toISOString() });
  await changeApiLifecycle(context, ids.retired, { to: 'retired' });
  const accounts = await createApi(context, {
    name: `accounts-${tag}`, version: 'v3.1.11', basePath: `/open-banking/t${tag}/aisp`, authKind: 'fapi', upstreams: [{ url: 'http://127.0.0.1:9/bank', weight: 100 }],
    openapi: { openapi: '3.0.0', info: { title: `Accounts ${tag}`, version: 'v3.1.11' }, paths: {} }, routes: [{ method: 'GET', pathTemplate: '/accounts', policy: { scopes: ['accounts'] } }],
  });
  await changeApiLifecycle(context, accounts.id, { to: 'published' });
  ids.accounts = accounts.id;
  const unreadable = await createApi(context, {
    name: `unreadable-${tag}`, version: 'v1', basePath: `/t${tag}/unreadable`, authKind: 'none', upstreams: [{ url: 'http://127.0.0.1:9/', weight: 100 }],
    openapi: { openapi: '3.0.3', info: { version: 'v1' } }, routes: [],
  });
  await changeApiLifecycle(context, unreadable.id, { to: 'published' });
  ids.unreadable = unreadable.id;
});
after(() => portcullis?.close());

const page = async (path: string) => {
  const response = await send(`${portcullis.urls.browser}${path}`);
  return { status: response.status, headers: response.headers, html: await response.text() };
};

describe('the developer portal', () => {
  test('the home page is the portal: products, a way in, the security headers of every page', async () => {
    const home = await page('/');
    assert.equal(home.status, 200);
    assert.match(home.headers.get('content-type')!, /^text\/html/);
    assert.match(home.headers.get('content-security-policy')!, /default-src 'none'/);
    assert.match(home.headers.get('strict-transport-security')!, /max-age=/);
    assert.match(home.html, /<h1>Build on Portcullis Bank's APIs<\/h1>/);
    assert.match(home.html, new RegExp(`<h3><a href="/apis/${ids.accounts}">Accounts ${tag}</a></h3>`), 'products by their OpenAPI titles');
    assert.match(home.html, new RegExp(`<a href="/apis/${ids.v2}">Weather ${tag}</a>`), 'a product links to its newest version');
    assert.match(home.html, /<a href="\/guides\/open-banking">Open Banking partner onboarding<\/a>/, 'the partner\'s way in');
    assert.match(home.html, /<a href="\/guides\/api-keys">An API key in a minute<\/a>/, 'the API consumer\'s way in');
    assert.match(home.html, /<a href="\/console">ops console<\/a>/, 'the operators\' way in, where this installation runs the console');
    assert.doesNotMatch(home.html, /<script/);
  });

  test('the catalog groups versions into products, newest first, with lifecycle badges; drafts and retired versions are not there', async () => {
    const catalog = await page('/apis');
    assert.equal(catalog.status, 200);
    const product = catalog.html.slice(catalog.html.indexOf(`id="product-weather-${tag}"`));
    const section = product.slice(0, product.indexOf('</section>'));
    assert.match(section, /Forecasts for every UK postcode, from the Met Office\./, 'the first paragraph of its description, as plain text');
    assert.doesNotMatch(section, /second paragraph/);
    const versions = [...section.matchAll(/<a href="\/apis\/([^"]+)">Weather [0-9a-f]+ (v\d)<\/a>/g)].map((match) => [match[1], match[2]]);
    assert.deepEqual(versions, [[ids.v2, 'v2'], [ids.v1, 'v1']]);
    assert.match(section, /Deprecated: retires <time datetime="2031-06-30T00:00:00.000Z">30 June 2031<\/time>/);
    assert.match(section, /Live/);
    for (const hidden of [ids.draft, ids.retired]) assert.doesNotMatch(catalog.html, new RegExp(hidden), 'drafts and retired versions are not offered');
  });

  test('search keeps the products holding every word, in any case, and says how many', async () => {
    const found = await page(`/apis?q=${encodeURIComponent(`WEATHER ${tag} postcode`)}`);
    assert.equal(found.status, 200);
    assert.match(found.html, /1 product matches/);
    assert.match(found.html, new RegExp(`id="product-weather-${tag}"`));
    assert.doesNotMatch(found.html, new RegExp(`Accounts ${tag}`));
    const none = await page(`/apis?q=${encodeURIComponent(`weather ${tag} nowhere-${tag}`)}`);
    assert.match(none.html, /0 products match/);
    assert.match(none.html, /value="weather [0-9a-f]+ nowhere-[0-9a-f]+"/, 'the search stays in its field');
  });

  test('an API\'s page: where to call it, how to authenticate, its operations, its successor, its OpenAPI document', async () => {
    const v1 = await page(`/apis/${ids.v1}`);
    assert.equal(v1.status, 200);
    assert.match(v1.html, new RegExp(`<code>${portcullis.config.gatewayBaseUrl}/t${tag}/weather/v1</code>`), 'an API-key API is called on the gateway\'s public listener');
    assert.match(v1.html, /<dd>API key<\/dd>/);
    assert.match(v1.html, new RegExp(`Move to <a href="/apis/${ids.v2}">Weather ${tag} v2</a>`));
    assert.match(v1.html, new RegExp(`<a href="/apis/${ids.v1}/operations/get-forecasts-postcode"><code>/forecasts/\\{postcode\\}</code></a></td><td>The forecast for a postcode</td>`), 'each operation links to its reference');
    assert.match(v1.html, /<code>\/alerts<\/code>/);

    const ob = await page(`/apis/${ids.accounts}`);
    assert.match(ob.html, new RegExp(`<code>${portcullis.config.mtlsBaseUrl}/open-banking/t${tag}/aisp</code>`), 'Open Banking APIs on the mutual-TLS listener');
    assert.match(ob.html, /Open Banking \(FAPI 2\.0\)/);

    const download = await send(`${portcullis.urls.browser}/apis/${ids.v2}/openapi.json`);
    assert.equal(download.status, 200);
    assert.match(download.headers.get('content-type')!, /^application\/json/);
    assert.equal(download.headers.get('content-disposition'), `attachment; filename="weather-${tag}-v2.openapi.json"`);
    assert.equal(((await download.json()) as { info: { title: string } }).info.title, `Weather ${tag}`);
  });

  test('a Postman collection of a version, its requests aimed at the version\'s base URL; a document the converter cannot read is the generic error page', async () => {
    const response = await send(`${portcullis.urls.browser}/apis/${ids.v2}/postman.json`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^application\/json/);
    assert.equal(response.headers.get('content-disposition'), `attachment; filename="weather-${tag}-v2.postman_collection.json"`);
    const collection = await response.json() as { info: { name: string; schema: string }; variable: Array<{ key: string; value: string }>; item: unknown[] };
    assert.equal(collection.info.schema, 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json');
    assert.equal(collection.info.name, `Weather ${tag}`);
    assert.deepEqual(collection.variable.find((variable) => variable.key === 'baseUrl'), { key: 'baseUrl', value: `${portcullis.config.gatewayBaseUrl}/t${tag}/weather/v2` });
    assert.match(JSON.stringify(collection.item), /The forecast for a postcode/);
    const again = await send(`${portcullis.urls.browser}/apis/${ids.v2}/postman.json`);
    assert.equal(await again.text(), JSON.stringify(collection, null, 2), 'the same collection, from the cache');

    const broken = await page(`/apis/${ids.unreadable}/postman.json`);
    assert.equal(broken.status, 500);
    assert.match(broken.html, /<title>Error: Something went wrong · Portcullis Developers<\/title>/);
    assert.doesNotMatch(broken.html, /openapi|swagger|Error:.*at /i, 'nothing of the converter leaks');
  });

  test('bad input is answered on a portal page with its status: unknown, draft and retired APIs, an over-long search', async () => {
    for (const path of ['/apis/api-nothing-here', `/apis/${ids.draft}`, `/apis/${ids.retired}`, `/apis/${ids.retired}/openapi.json`]) {
      const missing = await page(path);
      assert.equal(missing.status, 404, path);
      assert.match(missing.html, /<title>Error: Something went wrong · Portcullis Developers<\/title>/, path);
      assert.match(missing.html, /There is no such API, or it is no longer offered\./, path);
    }
    const long = await page(`/apis?q=${'x'.repeat(101)}`);
    assert.equal(long.status, 400);
    assert.match(long.html, /Search for at most 100 characters\./);
    const twice = await page('/apis?q=a&q=b');
    assert.equal(twice.status, 400);
  });

  test('the error reference has a page for every problem type, and the type a gateway problem names is that page', async () => {
    const index = await page('/docs/problems');
    assert.equal(index.status, 200);
    for (const [slug, title] of Object.entries(PROBLEM_TYPES)) {
      assert.match(index.html, new RegExp(`<a href="/docs/problems/${slug}"><code>${slug}</code></a>`), slug);
      const one = await page(`/docs/problems/${slug}`);
      assert.equal(one.status, 200, slug);
      assert.match(one.html, new RegExp(`<h1>${title}</h1>`), slug);
      assert.match(one.html, /<h2>What to do<\/h2>/, slug);
    }
    const problem = await send(`${portcullis.urls.public}/t${tag}/nowhere`);
    assert.equal(problem.status, 404);
    const { type } = await problem.json() as { type: string };
    assert.equal(type, `${portcullis.config.issuer}/docs/problems/not-found`);
    const typePage = await send(type);
    assert.equal(typePage.status, 200, 'a problem\'s type resolves to its page');
    assert.match(await typePage.text(), /<h1>No such resource<\/h1>/);
    assert.equal((await page('/docs/problems/teapot')).status, 404);
  });

  test('the guides use this installation\'s URLs; the changelog lists every version offered, retired ones too', async () => {
    const index = await page('/guides');
    assert.equal(index.status, 200);
    for (const slug of ['api-keys', 'open-banking', 'rate-limits', 'deprecation']) assert.match(index.html, new RegExp(`href="/guides/${slug}"`));
    const apiKeys = await page('/guides/api-keys');
    assert.equal(apiKeys.status, 200);
    assert.match(apiKeys.html, new RegExp(`curl -i -H "X-API-Key: \\$PORTCULLIS_API_KEY" \\\\\n  ${portcullis.config.gatewayBaseUrl}/[^<\\s]+</code>`), 'a first call on this installation\'s gateway');
    const openBanking = await page('/guides/open-banking');
    assert.equal(openBanking.status, 200);
    assert.match(openBanking.html, new RegExp(`${portcullis.config.issuer}/sandbox/directory/v1/organisations/\\$ORG/software-statements`), 'the sandbox directory\'s onboarding API');
    assert.match(openBanking.html, new RegExp(`${portcullis.config.mtlsBaseUrl}/open-banking/v3.1/aisp/accounts`));
    assert.equal((await page('/guides/rate-limits')).status, 200);

    const deprecation = await page('/guides/deprecation');
    assert.equal(deprecation.status, 200);
    const rows = [...deprecation.html.matchAll(/<tr>\s*<td>(?:<a href="[^"]+">)?Weather [0-9a-f]+(?:<\/a>)?<\/td>\s*<td>(v\d)<\/td>\s*<td>(\w+)<\/td>\s*<td[^>]*>[^<]*<\/td>\s*<td[^>]*>([^<]*)<\/td>\s*<td[^>]*>([^<]*)<\/td>/g)]
      .filter((row) => row[0].includes(`Weather ${tag}`)).map((row) => row.slice(1));
    assert.deepEqual(rows, [['v2', 'Live', '', ''], ['v1', 'Deprecated', '30 June 2031', `Weather ${tag} v2`], ['v0', 'Retired', '30 June 2031', '']], 'newest first; the draft never offered');
    assert.equal((await page('/guides/nothing')).status, 404);
  });

  test('the catalog is kept in memory and read again when an API changes: a new version shows at once, a retired one goes', async () => {
    const context: CatalogueContext = { db: portcullis.db, events: portcullis.events, clock: systemClock, actor: 'ops' };
    assert.doesNotMatch((await page('/apis')).html, new RegExp(`Weather ${tag} v9`));
    const late = await createApi(context, weatherApi('v9', `/t${tag}/weather/v9`));
    await changeApiLifecycle(context, late.id, { to: 'published' });
    assert.match((await page('/apis')).html, new RegExp(`Weather ${tag} v9`), 'published just now');
    await changeApiLifecycle(context, late.id, { to: 'deprecated', sunsetAt: SUNSET.toISOString() });
    await changeApiLifecycle(context, late.id, { to: 'retired' });
    assert.doesNotMatch((await page('/apis')).html, new RegExp(`Weather ${tag} v9`), 'retired just now');
    assert.equal((await page(`/apis/${late.id}`)).status, 404);
  });

  test('paths the portal does not serve are still the other roles\' (the authorization server\'s discovery, Connected apps)', async () => {
    assert.equal((await page('/.well-known/openid-configuration')).status, 200);
    const dashboard = await send(`${portcullis.urls.browser}/connected-apps`, { redirect: 'manual' });
    assert.equal(dashboard.status, 303);
  });
});
