/**
 * The API reference and "try it" over real TLS, against the real app, store and gateway: an Open
 * Banking document's parameters and schemas on its operation pages; a developer's call through the
 * sandbox gateway with their own key (the upstream's answer, the gateway's 401 for a bad key);
 * mistakes shown beside their fields with nothing sent; an operation the API does not have, a path
 * parameter that would climb out of it, a signed-out visitor, a form without its CSRF token, and
 * the per-developer limit.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';

import { TRY_IT_CALLS_PER_MINUTE } from '../../src/portal/reference/try-it-throttle.ts';
import { csrfIn, insertVerifiedDeveloper, PortalBrowser, signedInBrowser } from '../helpers/portal-browser.ts';
import { useReferenceApis } from '../helpers/reference-apis.ts';

const apis = useReferenceApis();

const ratePage = () => `/apis/${apis.ratesId}/operations/GetRate`;

async function developerBrowser(): Promise<PortalBrowser> {
  return signedInBrowser(apis.portcullis.caPem, apis.portcullis.urls.browser, await insertVerifiedDeveloper(apis.portcullis.db));
}

async function tryIt(browser: PortalBrowser, path: string, fields: Record<string, string>): Promise<{ status: number; html: string }> {
  const answer = await browser.submit(path, path, fields);
  return { status: answer.status, html: await answer.text() };
}

describe('the API reference', () => {
  test('an Open Banking document: operations by tag, then each one\'s parameters, answers, schemas and examples; tried from the guide', async () => {
    const browser = await developerBrowser();
    const api = await (await browser.get(`/apis/${apis.accountsId}`)).text();
    assert.match(api, /<h3>Accounts<\/h3>/);
    assert.match(api, /<h3>Balances<\/h3>/);
    assert.match(api, new RegExp(`<a href="/apis/${apis.accountsId}/operations/GetAccountsAccountId"><code>/accounts/\\{AccountId\\}</code></a>`));
    const response = await browser.get(`/apis/${apis.accountsId}/operations/GetAccountsAccountId`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const html = await response.text();
    assert.match(html, /<h1>Get Accounts<\/h1>/);
    assert.match(html, /<td data-label="Name"><code>AccountId<\/code> <strong class="schema-required">required<\/strong><\/td>\s*<td data-label="In">path<\/td>/);
    assert.match(html, /<code>x-fapi-interaction-id<\/code><\/td>\s*<td data-label="In">header<\/td>/);
    assert.match(html, /<h3 id="response-200">200<\/h3>/);
    assert.match(html, /<code class="schema-name">AccountSubType<\/code> <span class="schema-type">string<\/span>/);
    assert.match(html, /<code class="schema-name">AccountId<\/code> <span class="schema-type">string<\/span> <strong class="schema-required">required<\/strong>/);
    assert.match(html, /1 to 40 characters/);
    assert.match(html, /One of: Business, Personal/);
    assert.match(html, /&#34;AccountId&#34;: &#34;string&#34;/, 'an example made from the schema');
    assert.match(html, /<a href="\/guides\/open-banking">Open Banking guide<\/a>/);
    assert.doesNotMatch(html, /<form method="post" action="\/apis\//, 'no try-it form for Open Banking');
  });

  test('markdown descriptions keep their emphasis; raw HTML and script links are text', async () => {
    const html = await (await (await developerBrowser()).get(ratePage())).text();
    assert.match(html, /<p>The <strong>mid-market<\/strong> rate\. &lt;script&gt;alert\(1\)&lt;\/script&gt; \[Not a link\]\(javascript:alert\(1\)\)<\/p>/);
    assert.match(html, /<code class="schema-name">previous<\/code>[^]*Holds the same structure as a field above it/, 'a schema that refers to itself stops');
  });

  test('an operation the API does not have, or an API not offered, is a 404 page', async () => {
    const browser = await developerBrowser();
    for (const path of [`/apis/${apis.ratesId}/operations/DeleteEverything`, `/apis/api-${randomUUID()}/operations/GetRate`]) {
      const response = await browser.get(path);
      assert.equal(response.status, 404, path);
      assert.match(await response.text(), /<title>Error: /);
    }
    const page = await (await browser.get(ratePage())).text();
    const posted = await browser.post(`/apis/${apis.ratesId}/operations/DeleteEverything`, { csrf: csrfIn(page), credential: apis.key });
    assert.equal(posted.status, 404);
  });
});

describe('try it', () => {
  test('with the developer\'s key: the gateway\'s answer from the upstream, its status and RateLimit headers; the key is not shown again', async () => {
    const seenBefore = apis.upstream.seen.length;
    const { status, html } = await tryIt(await developerBrowser(), ratePage(), { credential: apis.key, 'path.currency': 'EUR', 'query.units': 'metric', 'header.x-trace': 'trace-1' });
    assert.equal(status, 200);
    assert.equal(apis.upstream.seen.length, seenBefore + 1);
    const seen = apis.upstream.seen.at(-1)!;
    assert.equal(seen.url, '/rates/EUR?units=metric');
    assert.equal(seen.headers['x-trace'], 'trace-1');
    assert.equal(seen.headers['x-api-key'], undefined, 'the gateway withholds the key from the upstream');
    assert.match(html, /<span class="answer-status answer-2xx">200<\/span>/);
    assert.match(html, /<dt>ratelimit-policy<\/dt>/);
    assert.match(html, /&#34;url&#34;: &#34;\/rates\/EUR\?units=metric&#34;/, 'the upstream\'s JSON, pretty');
    assert.ok(!html.includes(apis.key), 'the key is never echoed');
    assert.match(html, /id="path.currency" name="path.currency" autocomplete="off" value="EUR"/, 'the other fields are');
  });

  test('a bad key: the gateway\'s 401 is shown, and the upstream never hears of it', async () => {
    const seenBefore = apis.upstream.seen.length;
    const { status, html } = await tryIt(await developerBrowser(), ratePage(), { credential: 'pck_notakey_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'path.currency': 'EUR' });
    assert.equal(status, 200);
    assert.equal(apis.upstream.seen.length, seenBefore);
    assert.match(html, /<span class="answer-status answer-4xx">401<\/span>/);
    assert.match(html, /&#34;status&#34;: 401/);
  });

  test('missing or malformed fields: each mistake beside its field, nothing sent', async () => {
    const browser = await developerBrowser();
    const seenBefore = apis.upstream.seen.length;
    const missing = await tryIt(browser, ratePage(), { 'query.units': 'kelvin' });
    assert.equal(missing.status, 400);
    assert.match(missing.html, /<p class="error" id="credential-error">Paste one of your application&#39;s API keys<\/p>/);
    assert.match(missing.html, /<p class="error" id="path.currency-error">Enter the path parameter currency<\/p>/);
    assert.match(missing.html, /<p class="error" id="query.units-error">Choose one of the values listed for the query parameter units<\/p>/);
    assert.match(missing.html, /<a href="#credential">[^]*<a href="#path.currency">[^]*<a href="#query.units">/, 'the summary, in the form\'s order');
    const climbing = await tryIt(browser, ratePage(), { credential: apis.key, 'path.currency': '..' });
    assert.equal(climbing.status, 400);
    assert.match(climbing.html, /Enter a value other than &#34;..&#34; for the path parameter currency/);
    const alerts = `/apis/${apis.ratesId}/operations/CreateAlert`;
    const badBody = await tryIt(browser, alerts, { credential: apis.key, body: '{"currency": ' });
    assert.equal(badBody.status, 400);
    assert.match(badBody.html, /<p class="error" id="body-error">Enter the request body as JSON: /);
    assert.equal(apis.upstream.seen.length, seenBefore, 'nothing reached the gateway');
  });

  test('a path parameter is one segment of the operation\'s own path, whatever it holds', async () => {
    const { status } = await tryIt(await developerBrowser(), ratePage(), { credential: apis.key, 'path.currency': '../../admin?x=1#y' });
    assert.equal(status, 200);
    assert.equal(apis.upstream.seen.at(-1)!.url, '/rates/..%2F..%2Fadmin%3Fx%3D1%23y');
  });

  test('a body is sent as the document says', async () => {
    const { status, html } = await tryIt(await developerBrowser(), `/apis/${apis.ratesId}/operations/CreateAlert`, { credential: apis.key, body: '{"currency": "EUR", "below": 0.8}' });
    assert.equal(status, 200);
    const seen = apis.upstream.seen.at(-1)!;
    assert.equal(seen.method, 'POST');
    assert.equal(seen.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(seen.body), { currency: 'EUR', below: 0.8 });
    assert.match(html, /answer-2xx/);
  });

  test('signed out: a link to sign in, and a form sent after signing out goes to sign in', async () => {
    const visitor = await new PortalBrowser(apis.portcullis.caPem, apis.portcullis.urls.browser).get(ratePage());
    const visitorHtml = await visitor.text();
    assert.match(visitorHtml, new RegExp(`<a href="/account/sign-in\\?next=${encodeURIComponent(ratePage()).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}">Sign in</a> to send this call`));
    assert.doesNotMatch(visitorHtml, /name="credential"/);
    const browser = await developerBrowser();
    const csrf = csrfIn(await (await browser.get(ratePage())).text());
    await browser.post('/account/sign-out', { csrf });
    const answer = await browser.post(ratePage(), { csrf, credential: apis.key, 'path.currency': 'EUR' });
    assert.equal(answer.status, 303);
    assert.equal(answer.headers.get('location'), '/account/sign-in');
  });

  test('a form without its CSRF token is refused', async () => {
    const answer = await (await developerBrowser()).post(ratePage(), { credential: apis.key, 'path.currency': 'EUR' });
    assert.equal(answer.status, 403);
  });

  test(`a developer may try ${TRY_IT_CALLS_PER_MINUTE} calls a minute, then waits`, async () => {
    const browser = await developerBrowser();
    const csrf = csrfIn(await (await browser.get(ratePage())).text());
    for (let call = 0; call < TRY_IT_CALLS_PER_MINUTE; call += 1) {
      assert.equal((await browser.post(ratePage(), { csrf, credential: 'pck_bad', 'path.currency': 'EUR' })).status, 200);
    }
    const refused = await browser.post(ratePage(), { csrf, credential: 'pck_bad', 'path.currency': 'EUR' });
    assert.equal(refused.status, 429);
    assert.match(refused.headers.get('retry-after')!, /^\d+$/);
    assert.equal((await tryIt(await developerBrowser(), ratePage(), { credential: 'pck_bad', 'path.currency': 'EUR' })).status, 200, 'another developer is not limited by it');
  });
});
